//! Generated from the BOLT message table (lightning/bolts a3772650d8ebc06acf457fcadf97968ebfc4dfff,
//! CC-BY 4.0) by a one-off script; edit by hand only with care. The types are in `catalog`.

use super::catalog::{
    Count, FieldSpec, FieldType, Kind, MessageSpec, TlvRecordSpec, TlvStreamSpec,
};

/// `init_tlvs` (BOLT 1, BOLT #1: Base Protocol / Setup Messages / The init Message).
pub static INIT_TLVS: TlvStreamSpec = TlvStreamSpec {
    name: "init_tlvs",
    records: &[
        TlvRecordSpec {
            tlv_type: 1,
            name: "networks",
            fields: &[FieldSpec {
                name: "chains",
                ty: FieldType::ChainHash,
                count: Count::Rest,
                kind: Kind::Chains,
                meaning: "chains the sender is interested in",
            }],
            meaning: "chains the sender is interested in",
        },
        TlvRecordSpec {
            tlv_type: 3,
            name: "remote_addr",
            fields: &[FieldSpec {
                name: "data",
                ty: FieldType::Byte,
                count: Count::Rest,
                kind: Kind::Address,
                meaning: "address the sender sees the receiver connecting from",
            }],
            meaning: "address the sender sees the receiver connecting from",
        },
    ],
};

/// `tx_add_input_tlvs` (BOLT 2, Channel / Interactive Transaction Construction / The tx_add_input Message).
pub static TX_ADD_INPUT_TLVS: TlvStreamSpec = TlvStreamSpec {
    name: "tx_add_input_tlvs",
    records: &[TlvRecordSpec {
        tlv_type: 0,
        name: "shared_input_txid",
        fields: &[FieldSpec {
            name: "funding_txid",
            ty: FieldType::Sha256,
            count: Count::One,
            kind: Kind::Txid,
            meaning: "txid of the shared funding input (splicing)",
        }],
        meaning: "the input being added is the shared funding output",
    }],
};

/// `tx_signatures_tlvs` (BOLT 2, Channel / Interactive Transaction Construction / The tx_signatures Message).
pub static TX_SIGNATURES_TLVS: TlvStreamSpec = TlvStreamSpec {
    name: "tx_signatures_tlvs",
    records: &[TlvRecordSpec {
        tlv_type: 0,
        name: "shared_input_signature",
        fields: &[FieldSpec {
            name: "signature",
            ty: FieldType::Signature,
            count: Count::One,
            kind: Kind::Plain,
            meaning: "signature for the shared funding input (splicing)",
        }],
        meaning: "signature for the shared funding input",
    }],
};

/// `tx_init_rbf_tlvs` (BOLT 2, Channel / Interactive Transaction Construction / The tx_init_rbf Message).
pub static TX_INIT_RBF_TLVS: TlvStreamSpec = TlvStreamSpec {
    name: "tx_init_rbf_tlvs",
    records: &[
        TlvRecordSpec {
            tlv_type: 0,
            name: "funding_output_contribution",
            fields: &[FieldSpec {
                name: "satoshis",
                ty: FieldType::S64,
                count: Count::One,
                kind: Kind::Satoshis,
                meaning: "amount the sender puts into the new funding output",
            }],
            meaning: "amount the sender puts into the new funding output",
        },
        TlvRecordSpec {
            tlv_type: 2,
            name: "require_confirmed_inputs",
            fields: &[],
            meaning: "the sender only accepts confirmed inputs",
        },
    ],
};

/// `tx_ack_rbf_tlvs` (BOLT 2, Channel / Interactive Transaction Construction / The tx_ack_rbf Message).
pub static TX_ACK_RBF_TLVS: TlvStreamSpec = TlvStreamSpec {
    name: "tx_ack_rbf_tlvs",
    records: &[
        TlvRecordSpec {
            tlv_type: 0,
            name: "funding_output_contribution",
            fields: &[FieldSpec {
                name: "satoshis",
                ty: FieldType::S64,
                count: Count::One,
                kind: Kind::Satoshis,
                meaning: "amount the sender puts into the new funding output",
            }],
            meaning: "amount the sender puts into the new funding output",
        },
        TlvRecordSpec {
            tlv_type: 2,
            name: "require_confirmed_inputs",
            fields: &[],
            meaning: "the sender only accepts confirmed inputs",
        },
    ],
};

/// `open_channel_tlvs` (BOLT 2, Channel / Channel Establishment v1 / The open_channel Message).
pub static OPEN_CHANNEL_TLVS: TlvStreamSpec = TlvStreamSpec {
    name: "open_channel_tlvs",
    records: &[
        TlvRecordSpec {
            tlv_type: 0,
            name: "upfront_shutdown_script",
            fields: &[FieldSpec {
                name: "shutdown_scriptpubkey",
                ty: FieldType::Byte,
                count: Count::Rest,
                kind: Kind::Script,
                meaning: "where the sender's funds must go on a mutual close (empty: none)",
            }],
            meaning: "commits now to the mutual-close script",
        },
        TlvRecordSpec {
            tlv_type: 1,
            name: "channel_type",
            fields: &[FieldSpec {
                name: "type",
                ty: FieldType::Byte,
                count: Count::Rest,
                kind: Kind::ChannelTypeFeatures,
                meaning: "channel type feature bits being negotiated",
            }],
            meaning: "the channel type being negotiated",
        },
    ],
};

/// `accept_channel_tlvs` (BOLT 2, Channel / Channel Establishment v1 / The accept_channel Message).
pub static ACCEPT_CHANNEL_TLVS: TlvStreamSpec = TlvStreamSpec {
    name: "accept_channel_tlvs",
    records: &[
        TlvRecordSpec {
            tlv_type: 0,
            name: "upfront_shutdown_script",
            fields: &[FieldSpec {
                name: "shutdown_scriptpubkey",
                ty: FieldType::Byte,
                count: Count::Rest,
                kind: Kind::Script,
                meaning: "where the sender's funds must go on a mutual close (empty: none)",
            }],
            meaning: "commits now to the mutual-close script",
        },
        TlvRecordSpec {
            tlv_type: 1,
            name: "channel_type",
            fields: &[FieldSpec {
                name: "type",
                ty: FieldType::Byte,
                count: Count::Rest,
                kind: Kind::ChannelTypeFeatures,
                meaning: "channel type feature bits being negotiated",
            }],
            meaning: "the channel type being negotiated",
        },
    ],
};

/// `channel_ready_tlvs` (BOLT 2, Channel / Channel Establishment v1 / The channel_ready Message).
pub static CHANNEL_READY_TLVS: TlvStreamSpec = TlvStreamSpec {
    name: "channel_ready_tlvs",
    records: &[TlvRecordSpec {
        tlv_type: 1,
        name: "short_channel_id",
        fields: &[FieldSpec {
            name: "alias",
            ty: FieldType::ShortChannelId,
            count: Count::One,
            kind: Kind::Plain,
            meaning: "alias short_channel_id to use for this channel",
        }],
        meaning: "alias short_channel_id for this channel",
    }],
};

/// `opening_tlvs` (BOLT 2, Channel / Channel Establishment v2 / The open_channel2 Message).
pub static OPENING_TLVS: TlvStreamSpec = TlvStreamSpec {
    name: "opening_tlvs",
    records: &[
        TlvRecordSpec {
            tlv_type: 0,
            name: "upfront_shutdown_script",
            fields: &[FieldSpec {
                name: "shutdown_scriptpubkey",
                ty: FieldType::Byte,
                count: Count::Rest,
                kind: Kind::Script,
                meaning: "where the sender's funds must go on a mutual close (empty: none)",
            }],
            meaning: "commits now to the mutual-close script",
        },
        TlvRecordSpec {
            tlv_type: 1,
            name: "channel_type",
            fields: &[FieldSpec {
                name: "type",
                ty: FieldType::Byte,
                count: Count::Rest,
                kind: Kind::ChannelTypeFeatures,
                meaning: "channel type feature bits being negotiated",
            }],
            meaning: "the channel type being negotiated",
        },
        TlvRecordSpec {
            tlv_type: 2,
            name: "require_confirmed_inputs",
            fields: &[],
            meaning: "the sender only accepts confirmed inputs",
        },
    ],
};

/// `accept_tlvs` (BOLT 2, Channel / Channel Establishment v2 / The accept_channel2 Message).
pub static ACCEPT_TLVS: TlvStreamSpec = TlvStreamSpec {
    name: "accept_tlvs",
    records: &[
        TlvRecordSpec {
            tlv_type: 0,
            name: "upfront_shutdown_script",
            fields: &[FieldSpec {
                name: "shutdown_scriptpubkey",
                ty: FieldType::Byte,
                count: Count::Rest,
                kind: Kind::Script,
                meaning: "where the sender's funds must go on a mutual close (empty: none)",
            }],
            meaning: "commits now to the mutual-close script",
        },
        TlvRecordSpec {
            tlv_type: 1,
            name: "channel_type",
            fields: &[FieldSpec {
                name: "type",
                ty: FieldType::Byte,
                count: Count::Rest,
                kind: Kind::ChannelTypeFeatures,
                meaning: "channel type feature bits being negotiated",
            }],
            meaning: "the channel type being negotiated",
        },
        TlvRecordSpec {
            tlv_type: 2,
            name: "require_confirmed_inputs",
            fields: &[],
            meaning: "the sender only accepts confirmed inputs",
        },
    ],
};

/// `splice_init_tlvs` (BOLT 2, Channel / Channel Splicing / The splice_init Message).
pub static SPLICE_INIT_TLVS: TlvStreamSpec = TlvStreamSpec {
    name: "splice_init_tlvs",
    records: &[TlvRecordSpec {
        tlv_type: 2,
        name: "require_confirmed_inputs",
        fields: &[],
        meaning: "the sender only accepts confirmed inputs",
    }],
};

/// `splice_ack_tlvs` (BOLT 2, Channel / Channel Splicing / The splice_ack Message).
pub static SPLICE_ACK_TLVS: TlvStreamSpec = TlvStreamSpec {
    name: "splice_ack_tlvs",
    records: &[TlvRecordSpec {
        tlv_type: 2,
        name: "require_confirmed_inputs",
        fields: &[],
        meaning: "the sender only accepts confirmed inputs",
    }],
};

/// `closing_tlvs` (BOLT 2, Channel / Channel Close / Closing Negotiation: closing_complete and closing_sig).
pub static CLOSING_TLVS: TlvStreamSpec = TlvStreamSpec {
    name: "closing_tlvs",
    records: &[
        TlvRecordSpec {
            tlv_type: 1,
            name: "closer_output_only",
            fields: &[FieldSpec {
                name: "sig",
                ty: FieldType::Signature,
                count: Count::One,
                kind: Kind::Plain,
                meaning: "signature for the closing tx without the closee output",
            }],
            meaning: "signature for the closing tx without the closee output",
        },
        TlvRecordSpec {
            tlv_type: 2,
            name: "closee_output_only",
            fields: &[FieldSpec {
                name: "sig",
                ty: FieldType::Signature,
                count: Count::One,
                kind: Kind::Plain,
                meaning: "signature for the closing tx without the closer output",
            }],
            meaning: "signature for the closing tx without the closer output",
        },
        TlvRecordSpec {
            tlv_type: 3,
            name: "closer_and_closee_outputs",
            fields: &[FieldSpec {
                name: "sig",
                ty: FieldType::Signature,
                count: Count::One,
                kind: Kind::Plain,
                meaning: "signature for the closing tx with both outputs",
            }],
            meaning: "signature for the closing tx with both outputs",
        },
    ],
};

/// `closing_signed_tlvs` (BOLT 2, Channel / Channel Close / Legacy Closing Negotiation: closing_signed).
pub static CLOSING_SIGNED_TLVS: TlvStreamSpec = TlvStreamSpec {
    name: "closing_signed_tlvs",
    records: &[TlvRecordSpec {
        tlv_type: 1,
        name: "fee_range",
        fields: &[
            FieldSpec {
                name: "min_fee_satoshis",
                ty: FieldType::U64,
                count: Count::One,
                kind: Kind::Satoshis,
                meaning: "lowest closing fee the sender accepts",
            },
            FieldSpec {
                name: "max_fee_satoshis",
                ty: FieldType::U64,
                count: Count::One,
                kind: Kind::Satoshis,
                meaning: "highest closing fee the sender accepts",
            },
        ],
        meaning: "range of closing fees the sender accepts",
    }],
};

/// `update_add_htlc_tlvs` (BOLT 2, Channel / Normal Operation / Adding an HTLC: update_add_htlc).
pub static UPDATE_ADD_HTLC_TLVS: TlvStreamSpec = TlvStreamSpec {
    name: "update_add_htlc_tlvs",
    records: &[TlvRecordSpec {
        tlv_type: 0,
        name: "blinded_path",
        fields: &[FieldSpec {
            name: "path_key",
            ty: FieldType::Point,
            count: Count::One,
            kind: Kind::Plain,
            meaning: "key to decrypt the blinded route data for this hop",
        }],
        meaning: "the HTLC is inside a blinded route",
    }],
};

/// `update_fulfill_htlc_tlvs` (BOLT 2, Channel / Normal Operation / Removing an HTLC: update_fulfill_htlc, update_fail_htlc, and update_fail_malformed_htlc).
pub static UPDATE_FULFILL_HTLC_TLVS: TlvStreamSpec = TlvStreamSpec {
    name: "update_fulfill_htlc_tlvs",
    records: &[TlvRecordSpec {
        tlv_type: 1,
        name: "attribution_data",
        fields: &[
            FieldSpec {
                name: "htlc_hold_times",
                ty: FieldType::U32,
                count: Count::Fixed(20),
                kind: Kind::HoldTimes,
                meaning: "how long each hop held the HTLC, in units of 100 ms",
            },
            FieldSpec {
                name: "truncated_hmacs",
                ty: FieldType::Sha256Trunc4,
                count: Count::Fixed(210),
                kind: Kind::Plain,
                meaning: "truncated HMACs that let the payer attribute the result to a hop",
            },
        ],
        meaning: "hold times and HMACs to attribute the result to a hop",
    }],
};

/// `update_fail_htlc_tlvs` (BOLT 2, Channel / Normal Operation / Removing an HTLC: update_fulfill_htlc, update_fail_htlc, and update_fail_malformed_htlc).
pub static UPDATE_FAIL_HTLC_TLVS: TlvStreamSpec = TlvStreamSpec {
    name: "update_fail_htlc_tlvs",
    records: &[TlvRecordSpec {
        tlv_type: 1,
        name: "attribution_data",
        fields: &[
            FieldSpec {
                name: "htlc_hold_times",
                ty: FieldType::U32,
                count: Count::Fixed(20),
                kind: Kind::HoldTimes,
                meaning: "how long each hop held the HTLC, in units of 100 ms",
            },
            FieldSpec {
                name: "truncated_hmacs",
                ty: FieldType::Sha256Trunc4,
                count: Count::Fixed(210),
                kind: Kind::Plain,
                meaning: "truncated HMACs that let the payer attribute the result to a hop",
            },
        ],
        meaning: "hold times and HMACs to attribute the result to a hop",
    }],
};

/// `start_batch_tlvs` (BOLT 2, Channel / Normal Operation / Batching channel messages).
pub static START_BATCH_TLVS: TlvStreamSpec = TlvStreamSpec {
    name: "start_batch_tlvs",
    records: &[TlvRecordSpec {
        tlv_type: 1,
        name: "message_type",
        fields: &[FieldSpec {
            name: "message_type",
            ty: FieldType::U16,
            count: Count::One,
            kind: Kind::MessageType,
            meaning: "message type of the batched messages",
        }],
        meaning: "message type of the batched messages",
    }],
};

/// `commitment_signed_tlvs` (BOLT 2, Channel / Normal Operation / Committing Updates So Far: commitment_signed).
pub static COMMITMENT_SIGNED_TLVS: TlvStreamSpec = TlvStreamSpec {
    name: "commitment_signed_tlvs",
    records: &[TlvRecordSpec {
        tlv_type: 1,
        name: "funding_txid",
        fields: &[FieldSpec {
            name: "funding_txid",
            ty: FieldType::Sha256,
            count: Count::One,
            kind: Kind::Txid,
            meaning: "funding transaction this commitment signature is for (splicing)",
        }],
        meaning: "funding transaction this signature is for (splicing)",
    }],
};

/// `channel_reestablish_tlvs` (BOLT 2, Channel / Message Retransmission).
pub static CHANNEL_REESTABLISH_TLVS: TlvStreamSpec = TlvStreamSpec {
    name: "channel_reestablish_tlvs",
    records: &[
        TlvRecordSpec {
            tlv_type: 1,
            name: "next_funding",
            fields: &[
                FieldSpec {
                    name: "next_funding_txid",
                    ty: FieldType::Sha256,
                    count: Count::One,
                    kind: Kind::Txid,
                    meaning: "interactive transaction the sender wants to finish",
                },
                FieldSpec {
                    name: "retransmit_flags",
                    ty: FieldType::Byte,
                    count: Count::One,
                    kind: Kind::RetransmitFlags,
                    meaning: "bit 0: asks the receiver to retransmit its commitment_signed",
                },
            ],
            meaning: "interactive transaction the sender wants to finish",
        },
        TlvRecordSpec {
            tlv_type: 5,
            name: "my_current_funding_locked",
            fields: &[
                FieldSpec {
                    name: "my_current_funding_locked_txid",
                    ty: FieldType::Sha256,
                    count: Count::One,
                    kind: Kind::Txid,
                    meaning: "the funding tx the sender holds locked (latest splice, or the first)",
                },
                FieldSpec {
                    name: "retransmit_flags",
                    ty: FieldType::Byte,
                    count: Count::One,
                    kind: Kind::RetransmitFlags,
                    meaning: "bit 0: asks the receiver to retransmit its announcement_signatures",
                },
            ],
            meaning: "latest funding tx the sender has locked",
        },
    ],
};

/// `query_short_channel_ids_tlvs` (BOLT 7, Table of Contents / Query Messages / The query_short_channel_ids/reply_short_channel_ids_end Messages).
pub static QUERY_SHORT_CHANNEL_IDS_TLVS: TlvStreamSpec = TlvStreamSpec {
    name: "query_short_channel_ids_tlvs",
    records: &[TlvRecordSpec {
        tlv_type: 1,
        name: "query_flags",
        fields: &[
            FieldSpec {
                name: "encoding_type",
                ty: FieldType::Byte,
                count: Count::One,
                kind: Kind::EncodingType,
                meaning: "encoding of the array that follows (0 = uncompressed)",
            },
            FieldSpec {
                name: "encoded_query_flags",
                ty: FieldType::Byte,
                count: Count::Rest,
                kind: Kind::EncodedQueryFlags,
                meaning: "one BigSize per short_channel_id: what the sender wants",
            },
        ],
        meaning: "per-channel flags saying which gossip the sender wants",
    }],
};

/// `query_channel_range_tlvs` (BOLT 7, Table of Contents / Query Messages / The query_channel_range and reply_channel_range Messages).
pub static QUERY_CHANNEL_RANGE_TLVS: TlvStreamSpec = TlvStreamSpec {
    name: "query_channel_range_tlvs",
    records: &[TlvRecordSpec {
        tlv_type: 1,
        name: "query_option",
        fields: &[FieldSpec {
            name: "query_option_flags",
            ty: FieldType::BigSize,
            count: Count::One,
            kind: Kind::QueryOptionFlags,
            meaning: "bit 0: want timestamps, bit 1: want checksums",
        }],
        meaning: "ask for timestamps and/or checksums in the replies",
    }],
};

/// `reply_channel_range_tlvs` (BOLT 7, Table of Contents / Query Messages / The query_channel_range and reply_channel_range Messages).
pub static REPLY_CHANNEL_RANGE_TLVS: TlvStreamSpec = TlvStreamSpec {
    name: "reply_channel_range_tlvs",
    records: &[
        TlvRecordSpec {
            tlv_type: 1,
            name: "timestamps_tlv",
            fields: &[
                FieldSpec {
                    name: "encoding_type",
                    ty: FieldType::Byte,
                    count: Count::One,
                    kind: Kind::EncodingType,
                    meaning: "encoding of the array that follows (0 = uncompressed)",
                },
                FieldSpec {
                    name: "encoded_timestamps",
                    ty: FieldType::Byte,
                    count: Count::Rest,
                    kind: Kind::EncodedTimestamps,
                    meaning: "timestamps of the channel_updates of node 1 and node 2",
                },
            ],
            meaning: "timestamps of the channel_updates",
        },
        TlvRecordSpec {
            tlv_type: 3,
            name: "checksums_tlv",
            fields: &[FieldSpec {
                name: "checksums",
                ty: FieldType::ChannelUpdateChecksums,
                count: Count::Rest,
                kind: Kind::Plain,
                meaning: "CRC32C checksums of the channel_updates of node 1 and node 2",
            }],
            meaning: "checksums of the channel_updates",
        },
    ],
};

/// All wire messages of the current BOLTs, sorted by type.
pub static MESSAGES: &[MessageSpec] = &[
    MessageSpec {
        msg_type: 1,
        name: "warning",
        bolt: 1,
        section: "BOLT #1: Base Protocol / Setup Messages / The error and warning Messages",
        option: None,
        tlv_stream: None,
        ldk_struct: "WarningMessage",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this warning is about (all zero: no particular channel)" },
        FieldSpec { name: "len", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "length of the next field in bytes" },
        FieldSpec { name: "data", ty: FieldType::Byte, count: Count::Field("len"), kind: Kind::Text, meaning: "diagnostic message, usually printable text" }
        ],
    },
    MessageSpec {
        msg_type: 2,
        name: "stfu",
        bolt: 2,
        section: "Channel / Channel Quiescence / stfu",
        option: None,
        tlv_stream: None,
        ldk_struct: "Stfu",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "initiator", ty: FieldType::Byte, count: Count::One, kind: Kind::Bool, meaning: "1 if the sender started the quiescence" }
        ],
    },
    MessageSpec {
        msg_type: 7,
        name: "peer_storage",
        bolt: 1,
        section: "BOLT #1: Base Protocol / Peer storage / The peer_storage and peer_storage_retrieval Messages",
        option: None,
        tlv_stream: None,
        ldk_struct: "PeerStorage",
        fields: &[
        FieldSpec { name: "length", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "length of blob in bytes" },
        FieldSpec { name: "blob", ty: FieldType::Byte, count: Count::Field("length"), kind: Kind::Plain, meaning: "opaque encrypted backup the peer stores for the sender" }
        ],
    },
    MessageSpec {
        msg_type: 9,
        name: "peer_storage_retrieval",
        bolt: 1,
        section: "BOLT #1: Base Protocol / Peer storage / The peer_storage and peer_storage_retrieval Messages",
        option: None,
        tlv_stream: None,
        ldk_struct: "PeerStorageRetrieval",
        fields: &[
        FieldSpec { name: "length", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "length of blob in bytes" },
        FieldSpec { name: "blob", ty: FieldType::Byte, count: Count::Field("length"), kind: Kind::Plain, meaning: "the receiver's own backup, the last blob the sender stored for it" }
        ],
    },
    MessageSpec {
        msg_type: 16,
        name: "init",
        bolt: 1,
        section: "BOLT #1: Base Protocol / Setup Messages / The init Message",
        option: None,
        tlv_stream: Some(&INIT_TLVS),
        ldk_struct: "Init",
        fields: &[
        FieldSpec { name: "gflen", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "length of globalfeatures (legacy field)" },
        FieldSpec { name: "globalfeatures", ty: FieldType::Byte, count: Count::Field("gflen"), kind: Kind::InitFeatures, meaning: "legacy feature field (bits 0-13), merged with features" },
        FieldSpec { name: "flen", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "length of features in bytes" },
        FieldSpec { name: "features", ty: FieldType::Byte, count: Count::Field("flen"), kind: Kind::InitFeatures, meaning: "feature bits (BOLT 9); even bit = required, odd = optional" },
        FieldSpec { name: "tlvs", ty: FieldType::Tlvs, count: Count::One, kind: Kind::Plain, meaning: "TLV extension stream" }
        ],
    },
    MessageSpec {
        msg_type: 17,
        name: "error",
        bolt: 1,
        section: "BOLT #1: Base Protocol / Setup Messages / The error and warning Messages",
        option: None,
        tlv_stream: None,
        ldk_struct: "ErrorMessage",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about (all zero: every channel)" },
        FieldSpec { name: "len", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "length of the next field in bytes" },
        FieldSpec { name: "data", ty: FieldType::Byte, count: Count::Field("len"), kind: Kind::Text, meaning: "diagnostic message, usually printable text" }
        ],
    },
    MessageSpec {
        msg_type: 18,
        name: "ping",
        bolt: 1,
        section: "BOLT #1: Base Protocol / Control Messages / The ping and pong Messages",
        option: None,
        tlv_stream: None,
        ldk_struct: "Ping",
        fields: &[
        FieldSpec { name: "num_pong_bytes", ty: FieldType::U16, count: Count::One, kind: Kind::ByteCount, meaning: "how many ignored bytes the pong reply carries (65532 or more: no pong)" },
        FieldSpec { name: "byteslen", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "number of ignored bytes that follow" },
        FieldSpec { name: "ignored", ty: FieldType::Byte, count: Count::Field("byteslen"), kind: Kind::Ignored, meaning: "padding; its content is ignored" }
        ],
    },
    MessageSpec {
        msg_type: 19,
        name: "pong",
        bolt: 1,
        section: "BOLT #1: Base Protocol / Control Messages / The ping and pong Messages",
        option: None,
        tlv_stream: None,
        ldk_struct: "Pong",
        fields: &[
        FieldSpec { name: "byteslen", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "number of ignored bytes that follow" },
        FieldSpec { name: "ignored", ty: FieldType::Byte, count: Count::Field("byteslen"), kind: Kind::Ignored, meaning: "padding; its content is ignored" }
        ],
    },
    MessageSpec {
        msg_type: 32,
        name: "open_channel",
        bolt: 2,
        section: "Channel / Channel Establishment v1 / The open_channel Message",
        option: None,
        tlv_stream: Some(&OPEN_CHANNEL_TLVS),
        ldk_struct: "OpenChannel",
        fields: &[
        FieldSpec { name: "chain_hash", ty: FieldType::ChainHash, count: Count::One, kind: Kind::Plain, meaning: "genesis block hash of the chain this refers to" },
        FieldSpec { name: "temporary_channel_id", ty: FieldType::Byte, count: Count::Fixed(32), kind: Kind::ChannelIdBytes, meaning: "channel id used until the funding transaction is known" },
        FieldSpec { name: "funding_satoshis", ty: FieldType::U64, count: Count::One, kind: Kind::Satoshis, meaning: "amount the sender puts into the channel" },
        FieldSpec { name: "push_msat", ty: FieldType::U64, count: Count::One, kind: Kind::Millisatoshis, meaning: "amount given to the other side at opening" },
        FieldSpec { name: "dust_limit_satoshis", ty: FieldType::U64, count: Count::One, kind: Kind::Satoshis, meaning: "outputs below this are left off the sender's commitment tx" },
        FieldSpec { name: "max_htlc_value_in_flight_msat", ty: FieldType::U64, count: Count::One, kind: Kind::Millisatoshis, meaning: "cap on the total of HTLCs offered by the other side" },
        FieldSpec { name: "channel_reserve_satoshis", ty: FieldType::U64, count: Count::One, kind: Kind::Satoshis, meaning: "balance the other side must keep, so cheating costs it" },
        FieldSpec { name: "htlc_minimum_msat", ty: FieldType::U64, count: Count::One, kind: Kind::Millisatoshis, meaning: "smallest HTLC the sender accepts" },
        FieldSpec { name: "feerate_per_kw", ty: FieldType::U32, count: Count::One, kind: Kind::FeeratePerKw, meaning: "fee rate the funder pays for commitment and HTLC txs" },
        FieldSpec { name: "to_self_delay", ty: FieldType::U16, count: Count::One, kind: Kind::DelayBlocks, meaning: "blocks the other side must wait for its funds after it force-closes" },
        FieldSpec { name: "max_accepted_htlcs", ty: FieldType::U16, count: Count::One, kind: Kind::Plain, meaning: "most HTLCs the other side may offer at once" },
        FieldSpec { name: "funding_pubkey", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "sender's key in the 2-of-2 funding output" },
        FieldSpec { name: "revocation_basepoint", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "base point for the revocation key" },
        FieldSpec { name: "payment_basepoint", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "base point for the sender's payment key" },
        FieldSpec { name: "delayed_payment_basepoint", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "base point for the delayed to_local output key" },
        FieldSpec { name: "htlc_basepoint", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "base point for the HTLC keys" },
        FieldSpec { name: "first_per_commitment_point", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "per-commitment point for the first commitment tx" },
        FieldSpec { name: "channel_flags", ty: FieldType::Byte, count: Count::One, kind: Kind::OpenChannelFlags, meaning: "bit 0 announce_channel: whether the channel will be announced" },
        FieldSpec { name: "tlvs", ty: FieldType::Tlvs, count: Count::One, kind: Kind::Plain, meaning: "TLV extension stream" }
        ],
    },
    MessageSpec {
        msg_type: 33,
        name: "accept_channel",
        bolt: 2,
        section: "Channel / Channel Establishment v1 / The accept_channel Message",
        option: None,
        tlv_stream: Some(&ACCEPT_CHANNEL_TLVS),
        ldk_struct: "AcceptChannel",
        fields: &[
        FieldSpec { name: "temporary_channel_id", ty: FieldType::Byte, count: Count::Fixed(32), kind: Kind::ChannelIdBytes, meaning: "channel id used until the funding transaction is known" },
        FieldSpec { name: "dust_limit_satoshis", ty: FieldType::U64, count: Count::One, kind: Kind::Satoshis, meaning: "outputs below this are left off the sender's commitment tx" },
        FieldSpec { name: "max_htlc_value_in_flight_msat", ty: FieldType::U64, count: Count::One, kind: Kind::Millisatoshis, meaning: "cap on the total of HTLCs offered by the other side" },
        FieldSpec { name: "channel_reserve_satoshis", ty: FieldType::U64, count: Count::One, kind: Kind::Satoshis, meaning: "balance the other side must keep, so cheating costs it" },
        FieldSpec { name: "htlc_minimum_msat", ty: FieldType::U64, count: Count::One, kind: Kind::Millisatoshis, meaning: "smallest HTLC the sender accepts" },
        FieldSpec { name: "minimum_depth", ty: FieldType::U32, count: Count::One, kind: Kind::Confirmations, meaning: "confirmations needed before the channel can be used" },
        FieldSpec { name: "to_self_delay", ty: FieldType::U16, count: Count::One, kind: Kind::DelayBlocks, meaning: "blocks the other side must wait for its funds after it force-closes" },
        FieldSpec { name: "max_accepted_htlcs", ty: FieldType::U16, count: Count::One, kind: Kind::Plain, meaning: "most HTLCs the other side may offer at once" },
        FieldSpec { name: "funding_pubkey", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "sender's key in the 2-of-2 funding output" },
        FieldSpec { name: "revocation_basepoint", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "base point for the revocation key" },
        FieldSpec { name: "payment_basepoint", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "base point for the sender's payment key" },
        FieldSpec { name: "delayed_payment_basepoint", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "base point for the delayed to_local output key" },
        FieldSpec { name: "htlc_basepoint", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "base point for the HTLC keys" },
        FieldSpec { name: "first_per_commitment_point", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "per-commitment point for the first commitment tx" },
        FieldSpec { name: "tlvs", ty: FieldType::Tlvs, count: Count::One, kind: Kind::Plain, meaning: "TLV extension stream" }
        ],
    },
    MessageSpec {
        msg_type: 34,
        name: "funding_created",
        bolt: 2,
        section: "Channel / Channel Establishment v1 / The funding_created Message",
        option: None,
        tlv_stream: None,
        ldk_struct: "FundingCreated",
        fields: &[
        FieldSpec { name: "temporary_channel_id", ty: FieldType::Byte, count: Count::Fixed(32), kind: Kind::ChannelIdBytes, meaning: "channel id used until the funding transaction is known" },
        FieldSpec { name: "funding_txid", ty: FieldType::Sha256, count: Count::One, kind: Kind::Txid, meaning: "id of the funding transaction" },
        FieldSpec { name: "funding_output_index", ty: FieldType::U16, count: Count::One, kind: Kind::Plain, meaning: "output index of the funding output" },
        FieldSpec { name: "signature", ty: FieldType::Signature, count: Count::One, kind: Kind::Plain, meaning: "signature for the peer's first commitment transaction" }
        ],
    },
    MessageSpec {
        msg_type: 35,
        name: "funding_signed",
        bolt: 2,
        section: "Channel / Channel Establishment v1 / The funding_signed Message",
        option: None,
        tlv_stream: None,
        ldk_struct: "FundingSigned",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "signature", ty: FieldType::Signature, count: Count::One, kind: Kind::Plain, meaning: "signature for the peer's first commitment transaction" }
        ],
    },
    MessageSpec {
        msg_type: 36,
        name: "channel_ready",
        bolt: 2,
        section: "Channel / Channel Establishment v1 / The channel_ready Message",
        option: None,
        tlv_stream: Some(&CHANNEL_READY_TLVS),
        ldk_struct: "ChannelReady",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "second_per_commitment_point", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "per-commitment point for the second commitment tx" },
        FieldSpec { name: "tlvs", ty: FieldType::Tlvs, count: Count::One, kind: Kind::Plain, meaning: "TLV extension stream" }
        ],
    },
    MessageSpec {
        msg_type: 38,
        name: "shutdown",
        bolt: 2,
        section: "Channel / Channel Close / Closing Initiation: shutdown",
        option: None,
        tlv_stream: None,
        ldk_struct: "Shutdown",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "len", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "length of the next field in bytes" },
        FieldSpec { name: "scriptpubkey", ty: FieldType::Byte, count: Count::Field("len"), kind: Kind::Script, meaning: "where the sender's funds go when the channel closes" }
        ],
    },
    MessageSpec {
        msg_type: 39,
        name: "closing_signed",
        bolt: 2,
        section: "Channel / Channel Close / Legacy Closing Negotiation: closing_signed",
        option: None,
        tlv_stream: Some(&CLOSING_SIGNED_TLVS),
        ldk_struct: "ClosingSigned",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "fee_satoshis", ty: FieldType::U64, count: Count::One, kind: Kind::Satoshis, meaning: "closing fee the sender proposes (the funder pays it, from its output)" },
        FieldSpec { name: "signature", ty: FieldType::Signature, count: Count::One, kind: Kind::Plain, meaning: "signature for the closing transaction" },
        FieldSpec { name: "tlvs", ty: FieldType::Tlvs, count: Count::One, kind: Kind::Plain, meaning: "TLV extension stream" }
        ],
    },
    MessageSpec {
        msg_type: 40,
        name: "closing_complete",
        bolt: 2,
        section: "Channel / Channel Close / Closing Negotiation: closing_complete and closing_sig",
        option: None,
        tlv_stream: Some(&CLOSING_TLVS),
        ldk_struct: "ClosingComplete",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "closer_scriptpubkey_len", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "length of closer_scriptpubkey" },
        FieldSpec { name: "closer_scriptpubkey", ty: FieldType::Byte, count: Count::Field("closer_scriptpubkey_len"), kind: Kind::Script, meaning: "output script that pays the closer" },
        FieldSpec { name: "closee_scriptpubkey_len", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "length of closee_scriptpubkey" },
        FieldSpec { name: "closee_scriptpubkey", ty: FieldType::Byte, count: Count::Field("closee_scriptpubkey_len"), kind: Kind::Script, meaning: "output script that pays the closee" },
        FieldSpec { name: "fee_satoshis", ty: FieldType::U64, count: Count::One, kind: Kind::Satoshis, meaning: "fee the sender (the closer) pays, from its own output" },
        FieldSpec { name: "locktime", ty: FieldType::U32, count: Count::One, kind: Kind::Locktime, meaning: "nLockTime of the closing transaction" },
        FieldSpec { name: "tlvs", ty: FieldType::Tlvs, count: Count::One, kind: Kind::Plain, meaning: "TLV extension stream" }
        ],
    },
    MessageSpec {
        msg_type: 41,
        name: "closing_sig",
        bolt: 2,
        section: "Channel / Channel Close / Closing Negotiation: closing_complete and closing_sig",
        option: None,
        tlv_stream: Some(&CLOSING_TLVS),
        ldk_struct: "ClosingSig",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "closer_scriptpubkey_len", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "length of closer_scriptpubkey" },
        FieldSpec { name: "closer_scriptpubkey", ty: FieldType::Byte, count: Count::Field("closer_scriptpubkey_len"), kind: Kind::Script, meaning: "output script that pays the closer" },
        FieldSpec { name: "closee_scriptpubkey_len", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "length of closee_scriptpubkey" },
        FieldSpec { name: "closee_scriptpubkey", ty: FieldType::Byte, count: Count::Field("closee_scriptpubkey_len"), kind: Kind::Script, meaning: "output script that pays the closee" },
        FieldSpec { name: "fee_satoshis", ty: FieldType::U64, count: Count::One, kind: Kind::Satoshis, meaning: "fee the closer pays, as in its closing_complete" },
        FieldSpec { name: "locktime", ty: FieldType::U32, count: Count::One, kind: Kind::Locktime, meaning: "nLockTime of the closing transaction" },
        FieldSpec { name: "tlvs", ty: FieldType::Tlvs, count: Count::One, kind: Kind::Plain, meaning: "TLV extension stream" }
        ],
    },
    MessageSpec {
        msg_type: 64,
        name: "open_channel2",
        bolt: 2,
        section: "Channel / Channel Establishment v2 / The open_channel2 Message",
        option: None,
        tlv_stream: Some(&OPENING_TLVS),
        ldk_struct: "OpenChannelV2",
        fields: &[
        FieldSpec { name: "chain_hash", ty: FieldType::ChainHash, count: Count::One, kind: Kind::Plain, meaning: "genesis block hash of the chain this refers to" },
        FieldSpec { name: "temporary_channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "channel id used until the funding transaction is known" },
        FieldSpec { name: "funding_feerate_perkw", ty: FieldType::U32, count: Count::One, kind: Kind::FeeratePerKw, meaning: "fee rate for the funding transaction" },
        FieldSpec { name: "commitment_feerate_perkw", ty: FieldType::U32, count: Count::One, kind: Kind::FeeratePerKw, meaning: "fee rate the opener pays for commitment and HTLC txs" },
        FieldSpec { name: "funding_satoshis", ty: FieldType::U64, count: Count::One, kind: Kind::Satoshis, meaning: "amount the sender puts into the channel" },
        FieldSpec { name: "dust_limit_satoshis", ty: FieldType::U64, count: Count::One, kind: Kind::Satoshis, meaning: "outputs below this are left off the sender's commitment tx" },
        FieldSpec { name: "max_htlc_value_in_flight_msat", ty: FieldType::U64, count: Count::One, kind: Kind::Millisatoshis, meaning: "cap on the total of HTLCs offered by the other side" },
        FieldSpec { name: "htlc_minimum_msat", ty: FieldType::U64, count: Count::One, kind: Kind::Millisatoshis, meaning: "smallest HTLC the sender accepts" },
        FieldSpec { name: "to_self_delay", ty: FieldType::U16, count: Count::One, kind: Kind::DelayBlocks, meaning: "blocks the other side must wait for its funds after it force-closes" },
        FieldSpec { name: "max_accepted_htlcs", ty: FieldType::U16, count: Count::One, kind: Kind::Plain, meaning: "most HTLCs the other side may offer at once" },
        FieldSpec { name: "locktime", ty: FieldType::U32, count: Count::One, kind: Kind::Locktime, meaning: "nLockTime of the funding transaction" },
        FieldSpec { name: "funding_pubkey", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "sender's key in the 2-of-2 funding output" },
        FieldSpec { name: "revocation_basepoint", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "base point for the revocation key" },
        FieldSpec { name: "payment_basepoint", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "base point for the sender's payment key" },
        FieldSpec { name: "delayed_payment_basepoint", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "base point for the delayed to_local output key" },
        FieldSpec { name: "htlc_basepoint", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "base point for the HTLC keys" },
        FieldSpec { name: "first_per_commitment_point", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "per-commitment point for the first commitment tx" },
        FieldSpec { name: "second_per_commitment_point", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "per-commitment point for the second commitment tx" },
        FieldSpec { name: "channel_flags", ty: FieldType::Byte, count: Count::One, kind: Kind::OpenChannelFlags, meaning: "bit 0 announce_channel: whether the channel will be announced" },
        FieldSpec { name: "tlvs", ty: FieldType::Tlvs, count: Count::One, kind: Kind::Plain, meaning: "TLV extension stream" }
        ],
    },
    MessageSpec {
        msg_type: 65,
        name: "accept_channel2",
        bolt: 2,
        section: "Channel / Channel Establishment v2 / The accept_channel2 Message",
        option: None,
        tlv_stream: Some(&ACCEPT_TLVS),
        ldk_struct: "AcceptChannelV2",
        fields: &[
        FieldSpec { name: "temporary_channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "channel id used until the funding transaction is known" },
        FieldSpec { name: "funding_satoshis", ty: FieldType::U64, count: Count::One, kind: Kind::Satoshis, meaning: "amount the sender puts into the channel" },
        FieldSpec { name: "dust_limit_satoshis", ty: FieldType::U64, count: Count::One, kind: Kind::Satoshis, meaning: "outputs below this are left off the sender's commitment tx" },
        FieldSpec { name: "max_htlc_value_in_flight_msat", ty: FieldType::U64, count: Count::One, kind: Kind::Millisatoshis, meaning: "cap on the total of HTLCs offered by the other side" },
        FieldSpec { name: "htlc_minimum_msat", ty: FieldType::U64, count: Count::One, kind: Kind::Millisatoshis, meaning: "smallest HTLC the sender accepts" },
        FieldSpec { name: "minimum_depth", ty: FieldType::U32, count: Count::One, kind: Kind::Confirmations, meaning: "confirmations needed before the channel can be used" },
        FieldSpec { name: "to_self_delay", ty: FieldType::U16, count: Count::One, kind: Kind::DelayBlocks, meaning: "blocks the other side must wait for its funds after it force-closes" },
        FieldSpec { name: "max_accepted_htlcs", ty: FieldType::U16, count: Count::One, kind: Kind::Plain, meaning: "most HTLCs the other side may offer at once" },
        FieldSpec { name: "funding_pubkey", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "sender's key in the 2-of-2 funding output" },
        FieldSpec { name: "revocation_basepoint", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "base point for the revocation key" },
        FieldSpec { name: "payment_basepoint", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "base point for the sender's payment key" },
        FieldSpec { name: "delayed_payment_basepoint", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "base point for the delayed to_local output key" },
        FieldSpec { name: "htlc_basepoint", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "base point for the HTLC keys" },
        FieldSpec { name: "first_per_commitment_point", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "per-commitment point for the first commitment tx" },
        FieldSpec { name: "second_per_commitment_point", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "per-commitment point for the second commitment tx" },
        FieldSpec { name: "tlvs", ty: FieldType::Tlvs, count: Count::One, kind: Kind::Plain, meaning: "TLV extension stream" }
        ],
    },
    MessageSpec {
        msg_type: 66,
        name: "tx_add_input",
        bolt: 2,
        section: "Channel / Interactive Transaction Construction / The tx_add_input Message",
        option: None,
        tlv_stream: Some(&TX_ADD_INPUT_TLVS),
        ldk_struct: "TxAddInput",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "serial_id", ty: FieldType::U64, count: Count::One, kind: Kind::SerialId, meaning: "id in the negotiation (even: initiator, odd: accepter)" },
        FieldSpec { name: "prevtx_len", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "length of prevtx" },
        FieldSpec { name: "prevtx", ty: FieldType::Byte, count: Count::Field("prevtx_len"), kind: Kind::Transaction, meaning: "the transaction holding the spent output (empty for a shared input)" },
        FieldSpec { name: "prevtx_vout", ty: FieldType::U32, count: Count::One, kind: Kind::Plain, meaning: "index of the spent output in prevtx" },
        FieldSpec { name: "sequence", ty: FieldType::U32, count: Count::One, kind: Kind::Sequence, meaning: "nSequence of the input" },
        FieldSpec { name: "tlvs", ty: FieldType::Tlvs, count: Count::One, kind: Kind::Plain, meaning: "TLV extension stream" }
        ],
    },
    MessageSpec {
        msg_type: 67,
        name: "tx_add_output",
        bolt: 2,
        section: "Channel / Interactive Transaction Construction / The tx_add_output Message",
        option: None,
        tlv_stream: None,
        ldk_struct: "TxAddOutput",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "serial_id", ty: FieldType::U64, count: Count::One, kind: Kind::SerialId, meaning: "id in the negotiation (even: initiator, odd: accepter)" },
        FieldSpec { name: "sats", ty: FieldType::U64, count: Count::One, kind: Kind::Satoshis, meaning: "amount of the output" },
        FieldSpec { name: "scriptlen", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "length of script" },
        FieldSpec { name: "script", ty: FieldType::Byte, count: Count::Field("scriptlen"), kind: Kind::Script, meaning: "output script" }
        ],
    },
    MessageSpec {
        msg_type: 68,
        name: "tx_remove_input",
        bolt: 2,
        section: "Channel / Interactive Transaction Construction / The tx_remove_input and tx_remove_output Messages",
        option: None,
        tlv_stream: None,
        ldk_struct: "TxRemoveInput",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "serial_id", ty: FieldType::U64, count: Count::One, kind: Kind::SerialId, meaning: "id in the negotiation (even: initiator, odd: accepter)" }
        ],
    },
    MessageSpec {
        msg_type: 69,
        name: "tx_remove_output",
        bolt: 2,
        section: "Channel / Interactive Transaction Construction / The tx_remove_input and tx_remove_output Messages",
        option: None,
        tlv_stream: None,
        ldk_struct: "TxRemoveOutput",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "serial_id", ty: FieldType::U64, count: Count::One, kind: Kind::SerialId, meaning: "id in the negotiation (even: initiator, odd: accepter)" }
        ],
    },
    MessageSpec {
        msg_type: 70,
        name: "tx_complete",
        bolt: 2,
        section: "Channel / Interactive Transaction Construction / The tx_complete Message",
        option: None,
        tlv_stream: None,
        ldk_struct: "TxComplete",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" }
        ],
    },
    MessageSpec {
        msg_type: 71,
        name: "tx_signatures",
        bolt: 2,
        section: "Channel / Interactive Transaction Construction / The tx_signatures Message",
        option: None,
        tlv_stream: Some(&TX_SIGNATURES_TLVS),
        ldk_struct: "TxSignatures",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "txid", ty: FieldType::Sha256, count: Count::One, kind: Kind::Txid, meaning: "id of the transaction these witnesses sign" },
        FieldSpec { name: "num_witnesses", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "number of witnesses (one per input the sender added)" },
        FieldSpec { name: "witnesses", ty: FieldType::Witness, count: Count::Field("num_witnesses"), kind: Kind::Plain, meaning: "witness for each input the sender added" },
        FieldSpec { name: "tlvs", ty: FieldType::Tlvs, count: Count::One, kind: Kind::Plain, meaning: "TLV extension stream" }
        ],
    },
    MessageSpec {
        msg_type: 72,
        name: "tx_init_rbf",
        bolt: 2,
        section: "Channel / Interactive Transaction Construction / The tx_init_rbf Message",
        option: None,
        tlv_stream: Some(&TX_INIT_RBF_TLVS),
        ldk_struct: "TxInitRbf",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "locktime", ty: FieldType::U32, count: Count::One, kind: Kind::Locktime, meaning: "nLockTime of the replacement funding transaction" },
        FieldSpec { name: "feerate", ty: FieldType::U32, count: Count::One, kind: Kind::FeeratePerKw, meaning: "fee rate of the replacement transaction" },
        FieldSpec { name: "tlvs", ty: FieldType::Tlvs, count: Count::One, kind: Kind::Plain, meaning: "TLV extension stream" }
        ],
    },
    MessageSpec {
        msg_type: 73,
        name: "tx_ack_rbf",
        bolt: 2,
        section: "Channel / Interactive Transaction Construction / The tx_ack_rbf Message",
        option: None,
        tlv_stream: Some(&TX_ACK_RBF_TLVS),
        ldk_struct: "TxAckRbf",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "tlvs", ty: FieldType::Tlvs, count: Count::One, kind: Kind::Plain, meaning: "TLV extension stream" }
        ],
    },
    MessageSpec {
        msg_type: 74,
        name: "tx_abort",
        bolt: 2,
        section: "Channel / Interactive Transaction Construction / The tx_abort Message",
        option: None,
        tlv_stream: None,
        ldk_struct: "TxAbort",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "len", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "length of the next field in bytes" },
        FieldSpec { name: "data", ty: FieldType::Byte, count: Count::Field("len"), kind: Kind::Text, meaning: "why the sender aborts, usually printable text" }
        ],
    },
    MessageSpec {
        msg_type: 77,
        name: "splice_locked",
        bolt: 2,
        section: "Channel / Channel Splicing / Splice Completion / The splice_locked Message",
        option: None,
        tlv_stream: None,
        ldk_struct: "SpliceLocked",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "splice_txid", ty: FieldType::Sha256, count: Count::One, kind: Kind::Txid, meaning: "splice transaction that reached enough confirmations" }
        ],
    },
    MessageSpec {
        msg_type: 80,
        name: "splice_init",
        bolt: 2,
        section: "Channel / Channel Splicing / The splice_init Message",
        option: None,
        tlv_stream: Some(&SPLICE_INIT_TLVS),
        ldk_struct: "SpliceInit",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "funding_contribution_satoshis", ty: FieldType::S64, count: Count::One, kind: Kind::Satoshis, meaning: "amount the sender adds (+) or takes out (-) of the channel" },
        FieldSpec { name: "funding_feerate_perkw", ty: FieldType::U32, count: Count::One, kind: Kind::FeeratePerKw, meaning: "fee rate for the funding transaction" },
        FieldSpec { name: "locktime", ty: FieldType::U32, count: Count::One, kind: Kind::Locktime, meaning: "nLockTime of the splice transaction" },
        FieldSpec { name: "funding_pubkey", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "sender's key in the 2-of-2 funding output" },
        FieldSpec { name: "tlvs", ty: FieldType::Tlvs, count: Count::One, kind: Kind::Plain, meaning: "TLV extension stream" }
        ],
    },
    MessageSpec {
        msg_type: 81,
        name: "splice_ack",
        bolt: 2,
        section: "Channel / Channel Splicing / The splice_ack Message",
        option: None,
        tlv_stream: Some(&SPLICE_ACK_TLVS),
        ldk_struct: "SpliceAck",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "funding_contribution_satoshis", ty: FieldType::S64, count: Count::One, kind: Kind::Satoshis, meaning: "amount the sender adds (+) or takes out (-) of the channel" },
        FieldSpec { name: "funding_pubkey", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "sender's key in the 2-of-2 funding output" },
        FieldSpec { name: "tlvs", ty: FieldType::Tlvs, count: Count::One, kind: Kind::Plain, meaning: "TLV extension stream" }
        ],
    },
    MessageSpec {
        msg_type: 127,
        name: "start_batch",
        bolt: 2,
        section: "Channel / Normal Operation / Batching channel messages",
        option: None,
        tlv_stream: Some(&START_BATCH_TLVS),
        ldk_struct: "StartBatch",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "batch_size", ty: FieldType::U16, count: Count::One, kind: Kind::Plain, meaning: "number of messages in the batch that follows" }
        ],
    },
    MessageSpec {
        msg_type: 128,
        name: "update_add_htlc",
        bolt: 2,
        section: "Channel / Normal Operation / Adding an HTLC: update_add_htlc",
        option: None,
        tlv_stream: Some(&UPDATE_ADD_HTLC_TLVS),
        ldk_struct: "UpdateAddHTLC",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "id", ty: FieldType::U64, count: Count::One, kind: Kind::Plain, meaning: "HTLC id, counting up from 0 in each direction" },
        FieldSpec { name: "amount_msat", ty: FieldType::U64, count: Count::One, kind: Kind::Millisatoshis, meaning: "HTLC amount" },
        FieldSpec { name: "payment_hash", ty: FieldType::Sha256, count: Count::One, kind: Kind::Plain, meaning: "SHA256 of the payment preimage" },
        FieldSpec { name: "cltv_expiry", ty: FieldType::U32, count: Count::One, kind: Kind::BlockHeight, meaning: "block height at which the HTLC times out" },
        FieldSpec { name: "onion_routing_packet", ty: FieldType::Byte, count: Count::Fixed(1366), kind: Kind::Onion, meaning: "1366-byte onion: version, ephemeral key, 1300 bytes of hops, HMAC" }
        ],
    },
    MessageSpec {
        msg_type: 130,
        name: "update_fulfill_htlc",
        bolt: 2,
        section: "Channel / Normal Operation / Removing an HTLC: update_fulfill_htlc, update_fail_htlc, and update_fail_malformed_htlc",
        option: None,
        tlv_stream: Some(&UPDATE_FULFILL_HTLC_TLVS),
        ldk_struct: "UpdateFulfillHTLC",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "id", ty: FieldType::U64, count: Count::One, kind: Kind::Plain, meaning: "id of the HTLC it settles (one the receiver offered)" },
        FieldSpec { name: "payment_preimage", ty: FieldType::Byte, count: Count::Fixed(32), kind: Kind::Preimage, meaning: "secret whose SHA256 is the payment_hash" }
        ],
    },
    MessageSpec {
        msg_type: 131,
        name: "update_fail_htlc",
        bolt: 2,
        section: "Channel / Normal Operation / Removing an HTLC: update_fulfill_htlc, update_fail_htlc, and update_fail_malformed_htlc",
        option: None,
        tlv_stream: Some(&UPDATE_FAIL_HTLC_TLVS),
        ldk_struct: "UpdateFailHTLC",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "id", ty: FieldType::U64, count: Count::One, kind: Kind::Plain, meaning: "id of the HTLC it fails (one the receiver offered)" },
        FieldSpec { name: "len", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "length of the next field in bytes" },
        FieldSpec { name: "reason", ty: FieldType::Byte, count: Count::Field("len"), kind: Kind::Plain, meaning: "encrypted failure message for the payer" }
        ],
    },
    MessageSpec {
        msg_type: 132,
        name: "commitment_signed",
        bolt: 2,
        section: "Channel / Normal Operation / Committing Updates So Far: commitment_signed",
        option: None,
        tlv_stream: Some(&COMMITMENT_SIGNED_TLVS),
        ldk_struct: "CommitmentSigned",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "signature", ty: FieldType::Signature, count: Count::One, kind: Kind::Plain, meaning: "signature for the receiver's new commitment transaction" },
        FieldSpec { name: "num_htlcs", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "number of HTLC signatures that follow" },
        FieldSpec { name: "htlc_signature", ty: FieldType::Signature, count: Count::Field("num_htlcs"), kind: Kind::Plain, meaning: "signature for an HTLC transaction, one per HTLC output" },
        FieldSpec { name: "tlvs", ty: FieldType::Tlvs, count: Count::One, kind: Kind::Plain, meaning: "TLV extension stream" }
        ],
    },
    MessageSpec {
        msg_type: 133,
        name: "revoke_and_ack",
        bolt: 2,
        section: "Channel / Normal Operation / Completing the Transition to the Updated State: revoke_and_ack",
        option: None,
        tlv_stream: None,
        ldk_struct: "RevokeAndACK",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "per_commitment_secret", ty: FieldType::Byte, count: Count::Fixed(32), kind: Kind::Secret, meaning: "secret of the previous commitment, which revokes it" },
        FieldSpec { name: "next_per_commitment_point", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "per-commitment point for the next commitment tx" }
        ],
    },
    MessageSpec {
        msg_type: 134,
        name: "update_fee",
        bolt: 2,
        section: "Channel / Normal Operation / Updating Fees: update_fee",
        option: None,
        tlv_stream: None,
        ldk_struct: "UpdateFee",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "feerate_per_kw", ty: FieldType::U32, count: Count::One, kind: Kind::FeeratePerKw, meaning: "new fee rate for commitment and HTLC txs (the funder pays)" }
        ],
    },
    MessageSpec {
        msg_type: 135,
        name: "update_fail_malformed_htlc",
        bolt: 2,
        section: "Channel / Normal Operation / Removing an HTLC: update_fulfill_htlc, update_fail_htlc, and update_fail_malformed_htlc",
        option: None,
        tlv_stream: None,
        ldk_struct: "UpdateFailMalformedHTLC",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "id", ty: FieldType::U64, count: Count::One, kind: Kind::Plain, meaning: "id of the HTLC it fails (one the receiver offered)" },
        FieldSpec { name: "sha256_of_onion", ty: FieldType::Sha256, count: Count::One, kind: Kind::Plain, meaning: "SHA256 of the onion the sender could not parse" },
        FieldSpec { name: "failure_code", ty: FieldType::U16, count: Count::One, kind: Kind::FailureCode, meaning: "BOLT 4 failure code; must have the BADONION bit (0x8000)" }
        ],
    },
    MessageSpec {
        msg_type: 136,
        name: "channel_reestablish",
        bolt: 2,
        section: "Channel / Message Retransmission",
        option: None,
        tlv_stream: Some(&CHANNEL_REESTABLISH_TLVS),
        ldk_struct: "ChannelReestablish",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "next_commitment_number", ty: FieldType::U64, count: Count::One, kind: Kind::Plain, meaning: "number of the next commitment_signed the sender expects" },
        FieldSpec { name: "next_revocation_number", ty: FieldType::U64, count: Count::One, kind: Kind::Plain, meaning: "number of the next revoke_and_ack the sender expects" },
        FieldSpec { name: "your_last_per_commitment_secret", ty: FieldType::Byte, count: Count::Fixed(32), kind: Kind::Secret, meaning: "last per-commitment secret received from the peer (zeros before any)" },
        FieldSpec { name: "my_current_per_commitment_point", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "sender's current per-commitment point" }
        ],
    },
    MessageSpec {
        msg_type: 256,
        name: "channel_announcement",
        bolt: 7,
        section: "Table of Contents / The channel_announcement Message",
        option: None,
        tlv_stream: None,
        ldk_struct: "ChannelAnnouncement",
        fields: &[
        FieldSpec { name: "node_signature_1", ty: FieldType::Signature, count: Count::One, kind: Kind::Plain, meaning: "signature by node_id_1 over the rest of the message" },
        FieldSpec { name: "node_signature_2", ty: FieldType::Signature, count: Count::One, kind: Kind::Plain, meaning: "signature by node_id_2 over the rest of the message" },
        FieldSpec { name: "bitcoin_signature_1", ty: FieldType::Signature, count: Count::One, kind: Kind::Plain, meaning: "signature by bitcoin_key_1 over the rest of the message" },
        FieldSpec { name: "bitcoin_signature_2", ty: FieldType::Signature, count: Count::One, kind: Kind::Plain, meaning: "signature by bitcoin_key_2 over the rest of the message" },
        FieldSpec { name: "len", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "length of the next field in bytes" },
        FieldSpec { name: "features", ty: FieldType::Byte, count: Count::Field("len"), kind: Kind::ChannelFeatures, meaning: "feature bits (BOLT 9); even bit = required, odd = optional" },
        FieldSpec { name: "chain_hash", ty: FieldType::ChainHash, count: Count::One, kind: Kind::Plain, meaning: "genesis block hash of the chain this refers to" },
        FieldSpec { name: "short_channel_id", ty: FieldType::ShortChannelId, count: Count::One, kind: Kind::Plain, meaning: "where the funding output is: block x transaction x output" },
        FieldSpec { name: "node_id_1", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "public key of the first node (the lower of the two)" },
        FieldSpec { name: "node_id_2", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "public key of the second node (the higher of the two)" },
        FieldSpec { name: "bitcoin_key_1", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "funding key of node_id_1 (in the 2-of-2 funding output)" },
        FieldSpec { name: "bitcoin_key_2", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "funding key of node_id_2 (in the 2-of-2 funding output)" }
        ],
    },
    MessageSpec {
        msg_type: 257,
        name: "node_announcement",
        bolt: 7,
        section: "Table of Contents / The node_announcement Message",
        option: None,
        tlv_stream: None,
        ldk_struct: "NodeAnnouncement",
        fields: &[
        FieldSpec { name: "signature", ty: FieldType::Signature, count: Count::One, kind: Kind::Plain, meaning: "signature by node_id over the rest of the message" },
        FieldSpec { name: "flen", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "length of features in bytes" },
        FieldSpec { name: "features", ty: FieldType::Byte, count: Count::Field("flen"), kind: Kind::NodeFeatures, meaning: "feature bits (BOLT 9); even bit = required, odd = optional" },
        FieldSpec { name: "timestamp", ty: FieldType::U32, count: Count::One, kind: Kind::Timestamp, meaning: "creation time (UNIX seconds); newer replaces older" },
        FieldSpec { name: "node_id", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "the node's public key" },
        FieldSpec { name: "rgb_color", ty: FieldType::Byte, count: Count::Fixed(3), kind: Kind::Rgb, meaning: "node color (red, green, blue)" },
        FieldSpec { name: "alias", ty: FieldType::Byte, count: Count::Fixed(32), kind: Kind::Alias, meaning: "node nickname: UTF-8, padded with zero bytes to 32" },
        FieldSpec { name: "addrlen", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "length of addresses in bytes" },
        FieldSpec { name: "addresses", ty: FieldType::Byte, count: Count::Field("addrlen"), kind: Kind::Addresses, meaning: "where the node accepts connections (IPv4, IPv6, Tor v3, DNS)" }
        ],
    },
    MessageSpec {
        msg_type: 258,
        name: "channel_update",
        bolt: 7,
        section: "Table of Contents / The channel_update Message",
        option: None,
        tlv_stream: None,
        ldk_struct: "ChannelUpdate",
        fields: &[
        FieldSpec { name: "signature", ty: FieldType::Signature, count: Count::One, kind: Kind::Plain, meaning: "signature by the origin node over the rest of the message" },
        FieldSpec { name: "chain_hash", ty: FieldType::ChainHash, count: Count::One, kind: Kind::Plain, meaning: "genesis block hash of the chain this refers to" },
        FieldSpec { name: "short_channel_id", ty: FieldType::ShortChannelId, count: Count::One, kind: Kind::Plain, meaning: "the channel: block x transaction x output, or an alias if unannounced" },
        FieldSpec { name: "timestamp", ty: FieldType::U32, count: Count::One, kind: Kind::Timestamp, meaning: "creation time (UNIX seconds); newer replaces older" },
        FieldSpec { name: "message_flags", ty: FieldType::Byte, count: Count::One, kind: Kind::MessageFlags, meaning: "bit 0 must_be_one, bit 1 dont_forward" },
        FieldSpec { name: "channel_flags", ty: FieldType::Byte, count: Count::One, kind: Kind::UpdateChannelFlags, meaning: "bit 0 direction (which end sent this), bit 1 disable" },
        FieldSpec { name: "cltv_expiry_delta", ty: FieldType::U16, count: Count::One, kind: Kind::BlockDelta, meaning: "blocks subtracted from an incoming cltv_expiry when forwarding" },
        FieldSpec { name: "htlc_minimum_msat", ty: FieldType::U64, count: Count::One, kind: Kind::Millisatoshis, meaning: "smallest HTLC the channel peer accepts in this direction" },
        FieldSpec { name: "fee_base_msat", ty: FieldType::U32, count: Count::One, kind: Kind::Millisatoshis, meaning: "fixed fee charged per forwarded HTLC" },
        FieldSpec { name: "fee_proportional_millionths", ty: FieldType::U32, count: Count::One, kind: Kind::Millionths, meaning: "fee per forwarded amount, in millionths" },
        FieldSpec { name: "htlc_maximum_msat", ty: FieldType::U64, count: Count::One, kind: Kind::Millisatoshis, meaning: "largest HTLC this direction forwards" }
        ],
    },
    MessageSpec {
        msg_type: 259,
        name: "announcement_signatures",
        bolt: 7,
        section: "Table of Contents / The announcement_signatures Message",
        option: None,
        tlv_stream: None,
        ldk_struct: "AnnouncementSignatures",
        fields: &[
        FieldSpec { name: "channel_id", ty: FieldType::ChannelId, count: Count::One, kind: Kind::Plain, meaning: "which channel this message is about" },
        FieldSpec { name: "short_channel_id", ty: FieldType::ShortChannelId, count: Count::One, kind: Kind::Plain, meaning: "where the funding output is: block x transaction x output" },
        FieldSpec { name: "node_signature", ty: FieldType::Signature, count: Count::One, kind: Kind::Plain, meaning: "signature by the node key over the channel_announcement" },
        FieldSpec { name: "bitcoin_signature", ty: FieldType::Signature, count: Count::One, kind: Kind::Plain, meaning: "signature by the funding key over the channel_announcement" }
        ],
    },
    MessageSpec {
        msg_type: 261,
        name: "query_short_channel_ids",
        bolt: 7,
        section: "Table of Contents / Query Messages / The query_short_channel_ids/reply_short_channel_ids_end Messages",
        option: None,
        tlv_stream: Some(&QUERY_SHORT_CHANNEL_IDS_TLVS),
        ldk_struct: "QueryShortChannelIds",
        fields: &[
        FieldSpec { name: "chain_hash", ty: FieldType::ChainHash, count: Count::One, kind: Kind::Plain, meaning: "genesis block hash of the chain this refers to" },
        FieldSpec { name: "len", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "length of the next field in bytes" },
        FieldSpec { name: "encoded_short_ids", ty: FieldType::Byte, count: Count::Field("len"), kind: Kind::EncodedShortIds, meaning: "encoding type byte, then short_channel_ids" },
        FieldSpec { name: "tlvs", ty: FieldType::Tlvs, count: Count::One, kind: Kind::Plain, meaning: "TLV extension stream" }
        ],
    },
    MessageSpec {
        msg_type: 262,
        name: "reply_short_channel_ids_end",
        bolt: 7,
        section: "Table of Contents / Query Messages / The query_short_channel_ids/reply_short_channel_ids_end Messages",
        option: None,
        tlv_stream: None,
        ldk_struct: "ReplyShortChannelIdsEnd",
        fields: &[
        FieldSpec { name: "chain_hash", ty: FieldType::ChainHash, count: Count::One, kind: Kind::Plain, meaning: "genesis block hash of the chain this refers to" },
        FieldSpec { name: "full_information", ty: FieldType::Byte, count: Count::One, kind: Kind::Bool, meaning: "0 if the sender keeps no up-to-date channel information for this chain" }
        ],
    },
    MessageSpec {
        msg_type: 263,
        name: "query_channel_range",
        bolt: 7,
        section: "Table of Contents / Query Messages / The query_channel_range and reply_channel_range Messages",
        option: None,
        tlv_stream: Some(&QUERY_CHANNEL_RANGE_TLVS),
        ldk_struct: "QueryChannelRange",
        fields: &[
        FieldSpec { name: "chain_hash", ty: FieldType::ChainHash, count: Count::One, kind: Kind::Plain, meaning: "genesis block hash of the chain this refers to" },
        FieldSpec { name: "first_blocknum", ty: FieldType::U32, count: Count::One, kind: Kind::BlockHeight, meaning: "first block of the queried range" },
        FieldSpec { name: "number_of_blocks", ty: FieldType::U32, count: Count::One, kind: Kind::BlockCount, meaning: "number of blocks in the range" },
        FieldSpec { name: "tlvs", ty: FieldType::Tlvs, count: Count::One, kind: Kind::Plain, meaning: "TLV extension stream" }
        ],
    },
    MessageSpec {
        msg_type: 264,
        name: "reply_channel_range",
        bolt: 7,
        section: "Table of Contents / Query Messages / The query_channel_range and reply_channel_range Messages",
        option: None,
        tlv_stream: Some(&REPLY_CHANNEL_RANGE_TLVS),
        ldk_struct: "ReplyChannelRange",
        fields: &[
        FieldSpec { name: "chain_hash", ty: FieldType::ChainHash, count: Count::One, kind: Kind::Plain, meaning: "genesis block hash of the chain this refers to" },
        FieldSpec { name: "first_blocknum", ty: FieldType::U32, count: Count::One, kind: Kind::BlockHeight, meaning: "first block this reply covers (may start before the query's)" },
        FieldSpec { name: "number_of_blocks", ty: FieldType::U32, count: Count::One, kind: Kind::BlockCount, meaning: "number of blocks this reply covers" },
        FieldSpec { name: "sync_complete", ty: FieldType::Byte, count: Count::One, kind: Kind::Bool, meaning: "1 if this is the last reply_channel_range" },
        FieldSpec { name: "len", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "length of the next field in bytes" },
        FieldSpec { name: "encoded_short_ids", ty: FieldType::Byte, count: Count::Field("len"), kind: Kind::EncodedShortIds, meaning: "encoding type byte, then short_channel_ids" },
        FieldSpec { name: "tlvs", ty: FieldType::Tlvs, count: Count::One, kind: Kind::Plain, meaning: "TLV extension stream" }
        ],
    },
    MessageSpec {
        msg_type: 265,
        name: "gossip_timestamp_filter",
        bolt: 7,
        section: "Table of Contents / Query Messages / The gossip_timestamp_filter Message",
        option: None,
        tlv_stream: None,
        ldk_struct: "GossipTimestampFilter",
        fields: &[
        FieldSpec { name: "chain_hash", ty: FieldType::ChainHash, count: Count::One, kind: Kind::Plain, meaning: "genesis block hash of the chain this refers to" },
        FieldSpec { name: "first_timestamp", ty: FieldType::U32, count: Count::One, kind: Kind::Timestamp, meaning: "send gossip whose timestamp is at least this" },
        FieldSpec { name: "timestamp_range", ty: FieldType::U32, count: Count::One, kind: Kind::Seconds, meaning: "send gossip with timestamp before first_timestamp + this" }
        ],
    },
    MessageSpec {
        msg_type: 513,
        name: "onion_message",
        bolt: 4,
        section: "Onion Messages / The onion_message Message",
        option: Some("option_onion_messages"),
        tlv_stream: None,
        ldk_struct: "OnionMessage",
        fields: &[
        FieldSpec { name: "path_key", ty: FieldType::Point, count: Count::One, kind: Kind::Plain, meaning: "key the next node uses to decrypt its blinded data" },
        FieldSpec { name: "len", ty: FieldType::U16, count: Count::One, kind: Kind::Length, meaning: "length of the next field in bytes" },
        FieldSpec { name: "onion_message_packet", ty: FieldType::Byte, count: Count::Field("len"), kind: Kind::Onion, meaning: "onion: version, ephemeral key, encrypted hops, HMAC" }
        ],
    },
];

/// BOLT 4 failure codes (for `failure_code` in `update_fail_malformed_htlc`).
pub static FAILURE_CODES: &[(u16, &str)] = &[
    (0x0012, "final_incorrect_cltv_expiry"),
    (0x0013, "final_incorrect_htlc_amount"),
    (0x0015, "expiry_too_far"),
    (0x0017, "mpp_timeout"),
    (0x1007, "temporary_channel_failure"),
    (0x100b, "amount_below_minimum"),
    (0x100c, "fee_insufficient"),
    (0x100d, "incorrect_cltv_expiry"),
    (0x100e, "expiry_too_soon"),
    (0x1014, "channel_disabled"),
    (0x2002, "temporary_node_failure"),
    (0x4008, "permanent_channel_failure"),
    (0x4009, "required_channel_feature_missing"),
    (0x400a, "unknown_next_peer"),
    (0x400f, "incorrect_or_unknown_payment_details"),
    (0x4016, "invalid_onion_payload"),
    (0x6002, "permanent_node_failure"),
    (0x6003, "required_node_feature_missing"),
    (0xc004, "invalid_onion_version"),
    (0xc005, "invalid_onion_hmac"),
    (0xc006, "invalid_onion_key"),
    (0xc018, "invalid_onion_blinding"),
];
