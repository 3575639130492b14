//! The node secret: 32 random bytes in the data dir, from which LDK's
//! `KeysManager` derives the node id and every other key.
//!
//! The file is created once, written atomically (a temporary file, then a rename, so
//! a crash never leaves half a key) with mode 0600, and never replaced: a file that
//! exists but cannot be read, or is not exactly 32 bytes, is an error that names the
//! path. Losing a node key silently would change the node's identity under the
//! learner's feet.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use bitcoin::secp256k1::rand::{self, RngCore};

/// The key file's name inside the data dir.
pub const SECRET_FILE: &str = "node_secret";

/// Why the node secret could not be had.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The file exists but could not be read.
    #[error("cannot read the node secret {path}: {source}. Fix its permissions, or point --data-dir elsewhere.")]
    Unreadable {
        /// The key file.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// The file exists but does not hold a key.
    #[error("the node secret {path} is corrupt: it holds {len} bytes, a node secret is exactly 32. It was left untouched; move it away to start with a new node id.")]
    Corrupt {
        /// The key file.
        path: PathBuf,
        /// How many bytes it holds.
        len: usize,
    },
    /// A new key could not be written.
    #[error("cannot write a new node secret to {path}: {source}. Check that the data dir is writable, or use --data-dir.")]
    Unwritable {
        /// The key file.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// LDK's `KeysManager` could not derive the node id from the secret.
    #[error("LDK could not derive the node id")]
    NodeId,
}

/// Loads the node secret from `data_dir`, creating it on first start.
///
/// Returns the secret and whether it was newly created.
pub fn load_or_create(data_dir: &Path) -> Result<([u8; 32], bool), KeyError> {
    let path = data_dir.join(SECRET_FILE);
    match fs::read(&path) {
        Ok(bytes) => {
            let secret: [u8; 32] = bytes.as_slice().try_into().map_err(|_| KeyError::Corrupt {
                path: path.clone(),
                len: bytes.len(),
            })?;
            Ok((secret, false))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let mut secret = [0u8; 32];
            rand::thread_rng().fill_bytes(&mut secret);
            write_new(&path, &secret).map_err(|source| KeyError::Unwritable {
                path: path.clone(),
                source,
            })?;
            Ok((secret, true))
        }
        Err(source) => Err(KeyError::Unreadable { path, source }),
    }
}

/// Writes `secret` to `path` atomically, refusing to replace an existing file.
fn write_new(path: &Path, secret: &[u8; 32]) -> io::Result<()> {
    // Named as every temporary file is, so a shell killed before the link below
    // leaves one the next start sweeps away (`files::remove_stale_temps`).
    let tmp = crate::files::temp_path(path);
    let result = (|| {
        let mut file = create_private(&tmp)?;
        file.write_all(secret)?;
        file.sync_all()?;
        drop(file);
        // A hard link fails if the target exists, unlike rename: two shells started at
        // once on one data dir can never overwrite each other's fresh key.
        fs::hard_link(&tmp, path)
    })();
    let _ = fs::remove_file(&tmp);
    result?;
    crate::files::sync_dir_of(path);
    Ok(())
}

#[cfg(unix)]
fn create_private(path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn create_private(path: &Path) -> io::Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        crate::files::test_dir(&format!("keys-{name}"))
    }

    #[test]
    fn created_once_then_reloaded() {
        let dir = temp_dir("reload");
        let (a, created) = load_or_create(&dir).unwrap();
        assert!(created);
        let (b, created_again) = load_or_create(&dir).unwrap();
        assert!(!created_again);
        assert_eq!(a, b);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.join(SECRET_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // No temporary file left behind.
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn corrupt_key_is_an_error_and_left_alone() {
        let dir = temp_dir("corrupt");
        fs::write(dir.join(SECRET_FILE), b"short").unwrap();
        let err = load_or_create(&dir).unwrap_err();
        assert!(matches!(err, KeyError::Corrupt { len: 5, .. }), "{err}");
        assert!(err.to_string().contains(SECRET_FILE));
        assert_eq!(fs::read(dir.join(SECRET_FILE)).unwrap(), b"short");
        fs::remove_dir_all(&dir).unwrap();
    }
}
