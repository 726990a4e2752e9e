//! Uploads (a report's chart and CSV): the file goes to the media repository (encrypted in an
//! encrypted room), then an `m.image`/`m.file` message refers to it. The message carries the
//! upload's idempotency key ([`KEY_FIELD`]) and its transaction id comes from that key, like a
//! post's, so an interrupted report is found again and never posted twice.

use super::{post_failed, transaction_id, Posted, Unsent, KEY_FIELD};
use crate::domain::RoomRef;
use crate::platform::matrix::sync::Adapter;
use matrix_sdk::ruma::events::room::MediaSource;
use matrix_sdk::Room;
use mime::Mime;
use serde_json::{json, Value};
use std::io::Cursor;

/// The `msgtype` of a file of type `mime`, as Matrix clients show it.
pub fn msgtype(mime: &Mime) -> &'static str {
    match mime.type_() {
        mime::IMAGE => "m.image",
        mime::AUDIO => "m.audio",
        mime::VIDEO => "m.video",
        _ => "m.file",
    }
}

/// The content of the message for an uploaded file: its name as the body, its type and size,
/// where it is (`url` for a plain upload, `file` with the keys for an encrypted one) and `key`.
pub fn upload_content(file_name: &str, mime: &Mime, size: usize, source: &MediaSource, key: &str) -> Value {
    let mut content = json!({
        "msgtype": msgtype(mime),
        "body": file_name,
        "info": {"mimetype": mime.essence_str(), "size": size},
        KEY_FIELD: key,
    });
    match source {
        MediaSource::Plain(url) => content["url"] = json!(url),
        MediaSource::Encrypted(file) => content["file"] = serde_json::to_value(file).unwrap_or(Value::Null),
    }
    content
}

impl Adapter<'_> {
    /// Uploads `bytes` as `file_name` to the configured room `room` (once per `key`).
    pub(in crate::platform::matrix) async fn upload(
        &self,
        room: &RoomRef,
        file_name: &str,
        mime: &str,
        bytes: Vec<u8>,
        key: &str,
    ) -> Result<Option<Posted>, Unsent> {
        if self.state.posted(key).is_some() {
            return Ok(None);
        }
        let target = self.configured_room(room).ok_or(Unsent::NotJoined)?;
        let content_type: Mime = mime.parse().unwrap_or(mime::APPLICATION_OCTET_STREAM);
        let size = bytes.len();
        let source = match self.upload_media(&target, &content_type, bytes).await {
            Ok(source) => source,
            Err(e) => return post_failed("upload", &e),
        };
        let content = upload_content(file_name, &content_type, size, &source, key);
        match target
            .send_raw("m.room.message", content)
            .with_transaction_id(&transaction_id(key))
            .await
        {
            Ok(sent) => Ok(Some(Posted {
                key: key.to_string(),
                event_id: sent.response.event_id.to_string(),
                push: None,
            })),
            Err(e) => post_failed("upload", &e),
        }
    }

    /// Puts `bytes` into the media repository: encrypted (the keys go in the message, which is
    /// encrypted too) when `room` is encrypted, as they are otherwise.
    async fn upload_media(&self, room: &Room, mime: &Mime, bytes: Vec<u8>) -> Result<MediaSource, matrix_sdk::Error> {
        if room.latest_encryption_state().await?.is_encrypted() {
            let mut reader = Cursor::new(bytes);
            let file = self.client.upload_encrypted_file(&mut reader).await?;
            Ok(MediaSource::Encrypted(Box::new(file)))
        } else {
            let uploaded = self.client.media().upload(mime, bytes, None).await?;
            Ok(MediaSource::Plain(uploaded.content_uri))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use matrix_sdk::ruma::events::room::{EncryptedFile, EncryptedFileHashes, V2EncryptedFileInfo};
    use matrix_sdk::ruma::OwnedMxcUri;

    #[test]
    fn files_are_shown_by_their_type() {
        let rows = [
            ("image/png", "m.image"),
            ("text/csv", "m.file"),
            ("application/octet-stream", "m.file"),
            ("audio/ogg", "m.audio"),
            ("video/mp4", "m.video"),
        ];
        for (mime, expected) in rows {
            let parsed: Mime = mime.parse().expect("a MIME type");
            assert_eq!(msgtype(&parsed), expected, "row {mime}");
        }
    }

    #[test]
    fn a_plain_upload_points_to_its_url_and_carries_its_key() {
        let url = OwnedMxcUri::from("mxc://localhost/abc");
        let content = upload_content(
            "relais-2026-W05.png",
            &mime::IMAGE_PNG,
            1234,
            &MediaSource::Plain(url),
            "report:k:png",
        );
        assert_eq!(
            content,
            json!({
                "msgtype": "m.image",
                "body": "relais-2026-W05.png",
                "info": {"mimetype": "image/png", "size": 1234},
                "url": "mxc://localhost/abc",
                KEY_FIELD: "report:k:png",
            })
        );
    }

    #[test]
    fn an_encrypted_upload_carries_its_keys_and_no_plain_url() {
        let info = V2EncryptedFileInfo::encode([7; 32], [1; 16]);
        let hashes = EncryptedFileHashes::with_sha256([2; 32]);
        let file = EncryptedFile::new(OwnedMxcUri::from("mxc://localhost/secret"), info.into(), hashes);
        let csv: Mime = "text/csv".parse().expect("a MIME type");
        let content = upload_content(
            "relais-2026-W05.csv",
            &csv,
            10,
            &MediaSource::Encrypted(Box::new(file)),
            "report:k:csv",
        );
        assert_eq!(content["msgtype"], "m.file");
        assert_eq!(content[KEY_FIELD], "report:k:csv");
        assert!(content.get("url").is_none(), "{content}");
        assert_eq!(content["file"]["url"], "mxc://localhost/secret");
        assert_eq!(content["file"]["key"]["alg"], "A256CTR");
        assert_eq!(content["file"]["key"]["kty"], "oct");
        assert_eq!(content["file"]["v"], "v2");
        assert!(content["file"]["iv"].is_string() && content["file"]["hashes"]["sha256"].is_string());
    }
}
