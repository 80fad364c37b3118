//! What an upload is, from its bytes alone. The client's `Content-Type` and
//! file name are never consulted: a page disguised as `image/png` must not be
//! served back as one. [`sniff`] is a pure function over a [`Sample`] of the
//! file, so that it can be tested (and fuzzed) without a server; anything it
//! does not recognise is refused, which keeps HTML, SVG and scripts out.
//!
//! Office documents live in containers (zip, OLE2) and are told apart by the
//! parts inside them: see [`super::office`].

use super::office;

/// How many bytes of each end of a file [`sniff`] looks at. The start holds
/// every signature; the end holds a zip's central directory (the list of its
/// parts) and often an OLE2 directory.
pub const SAMPLE_BYTES: usize = 64 * 1024;

/// An allowed media type (the protocol's `MEDIA_TYPES`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MediaType {
    Png,
    Jpeg,
    Gif,
    Webp,
    Mp4,
    Webm,
    Mp3,
    Ogg,
    Wav,
    M4a,
    Pdf,
    Doc,
    Xls,
    Docx,
    Xlsx,
    Pptx,
    Odt,
    Ods,
}

impl MediaType {
    /// Every allowed type.
    pub const ALL: [MediaType; 18] = [
        MediaType::Png,
        MediaType::Jpeg,
        MediaType::Gif,
        MediaType::Webp,
        MediaType::Mp4,
        MediaType::Webm,
        MediaType::Mp3,
        MediaType::Ogg,
        MediaType::Wav,
        MediaType::M4a,
        MediaType::Pdf,
        MediaType::Doc,
        MediaType::Xls,
        MediaType::Docx,
        MediaType::Xlsx,
        MediaType::Pptx,
        MediaType::Odt,
        MediaType::Ods,
    ];

    /// The media type's name, as served in `Content-Type`.
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Png => "image/png",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Gif => "image/gif",
            MediaType::Webp => "image/webp",
            MediaType::Mp4 => "video/mp4",
            MediaType::Webm => "video/webm",
            MediaType::Mp3 => "audio/mpeg",
            MediaType::Ogg => "audio/ogg",
            MediaType::Wav => "audio/wav",
            MediaType::M4a => "audio/mp4",
            MediaType::Pdf => "application/pdf",
            MediaType::Doc => "application/msword",
            MediaType::Xls => "application/vnd.ms-excel",
            MediaType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            MediaType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            MediaType::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            MediaType::Odt => "application/vnd.oasis.opendocument.text",
            MediaType::Ods => "application/vnd.oasis.opendocument.spreadsheet",
        }
    }

    /// The usual file extension, for a file uploaded without a name.
    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Png => "png",
            MediaType::Jpeg => "jpg",
            MediaType::Gif => "gif",
            MediaType::Webp => "webp",
            MediaType::Mp4 => "mp4",
            MediaType::Webm => "webm",
            MediaType::Mp3 => "mp3",
            MediaType::Ogg => "ogg",
            MediaType::Wav => "wav",
            MediaType::M4a => "m4a",
            MediaType::Pdf => "pdf",
            MediaType::Doc => "doc",
            MediaType::Xls => "xls",
            MediaType::Docx => "docx",
            MediaType::Xlsx => "xlsx",
            MediaType::Pptx => "pptx",
            MediaType::Odt => "odt",
            MediaType::Ods => "ods",
        }
    }
}

/// The bytes [`sniff`] reads, gathered while a file streams past: its first
/// [`SAMPLE_BYTES`], then (for a longer file) its last [`SAMPLE_BYTES`].
#[derive(Debug, Default)]
pub struct Sample {
    head: Vec<u8>,
    /// Bytes after the head; trimmed to the last `SAMPLE_BYTES` now and then.
    tail: Vec<u8>,
}

impl Sample {
    /// Takes the next chunk of the file.
    pub fn push(&mut self, chunk: &[u8]) {
        let take = (SAMPLE_BYTES - self.head.len()).min(chunk.len());
        self.head.extend_from_slice(&chunk[..take]);
        self.tail.extend_from_slice(&chunk[take..]);
        // Trimming only past twice the size keeps the copying linear.
        if self.tail.len() > 2 * SAMPLE_BYTES {
            self.tail.drain(..self.tail.len() - SAMPLE_BYTES);
        }
    }

    /// The head, followed by the end of the file when it is longer.
    pub fn bytes(&self) -> Vec<u8> {
        let tail = &self.tail[self.tail.len().saturating_sub(SAMPLE_BYTES)..];
        [self.head.as_slice(), tail].concat()
    }
}

/// The type of a file from a sample of it (the whole file, or
/// [`Sample::bytes`]); `None` when it is not an allowed type.
pub fn sniff(bytes: &[u8]) -> Option<MediaType> {
    let b = bytes;
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(MediaType::Png)
    } else if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(MediaType::Jpeg)
    } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        Some(MediaType::Gif)
    } else if riff(b, b"WEBP") {
        Some(MediaType::Webp)
    } else if riff(b, b"WAVE") {
        Some(MediaType::Wav)
    } else if b.starts_with(b"%PDF-") {
        Some(MediaType::Pdf)
    } else if b.starts_with(b"OggS") {
        Some(MediaType::Ogg)
    } else if b.starts_with(b"ID3") || mpeg_audio_frame(b) {
        Some(MediaType::Mp3)
    } else if b.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        webm(b).then_some(MediaType::Webm)
    } else if b.get(4..8) == Some(b"ftyp") {
        iso_media(b)
    } else {
        office::sniff(b)
    }
}

/// A RIFF file of the given form (`WEBP`, `WAVE`).
fn riff(b: &[u8], form: &[u8; 4]) -> bool {
    b.starts_with(b"RIFF") && b.get(8..12) == Some(form)
}

/// An MPEG audio layer III frame header (an MP3 without an ID3 tag): the sync
/// bits, a defined version, layer III, and a bitrate and sample rate that are
/// not the reserved values.
fn mpeg_audio_frame(b: &[u8]) -> bool {
    let [0xFF, second, third, ..] = *b else {
        return false;
    };
    let sync = second & 0xE0 == 0xE0;
    let version = (second >> 3) & 0b11;
    let layer = (second >> 1) & 0b11;
    let bitrate = third >> 4;
    let rate = (third >> 2) & 0b11;
    sync && version != 0b01 && layer == 0b01 && bitrate != 0xF && rate != 0b11
}

/// An ISO base media file (MP4 family), told by the major brand of its
/// `ftyp` box: audio-only brands are `audio/mp4`; QuickTime, HEIF and others
/// are not allowed.
fn iso_media(b: &[u8]) -> Option<MediaType> {
    let size = u32::from_be_bytes(b.get(0..4)?.try_into().ok()?);
    if !(16..=4096).contains(&size) {
        return None;
    }
    match b.get(8..12)? {
        b"M4A " | b"M4B " => Some(MediaType::M4a),
        b"isom" | b"iso2" | b"iso3" | b"iso4" | b"iso5" | b"iso6" | b"mp41" | b"mp42" | b"avc1"
        | b"M4V " | b"dash" | b"mmp4" | b"MSNV" => Some(MediaType::Mp4),
        _ => None,
    }
}

/// An EBML file whose `DocType` is `webm` (Matroska in general is not allowed).
fn webm(b: &[u8]) -> bool {
    let header = &b[..b.len().min(64)];
    header.windows(2).enumerate().any(|(i, id)| {
        id == [0x42, 0x82]
            && ebml_size(&header[i + 2..]).is_some_and(|(len, size)| {
                size == 4
                    && header
                        .get(i + 2 + len..)
                        .is_some_and(|d| d.starts_with(b"webm"))
            })
    })
}

/// An EBML variable-size integer: its length in bytes and its value.
fn ebml_size(b: &[u8]) -> Option<(usize, u64)> {
    let first = *b.first()?;
    let len = first.leading_zeros() as usize + 1;
    if len > 8 {
        return None;
    }
    let mut value = u64::from(first) & (0xFF >> len);
    for &byte in b.get(1..len)? {
        value = (value << 8) | u64::from(byte);
    }
    Some((len, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ftyp(brand: &[u8; 4]) -> Vec<u8> {
        let mut b = vec![0, 0, 0, 24];
        b.extend_from_slice(b"ftyp");
        b.extend_from_slice(brand);
        b.extend_from_slice(&[0, 0, 2, 0]);
        b.extend_from_slice(b"isommp41");
        b
    }

    #[test]
    fn each_allowed_type_is_told_by_its_signature() {
        let cases: [(&[u8], MediaType); 11] = [
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", MediaType::Png),
            (
                &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F'],
                MediaType::Jpeg,
            ),
            (b"GIF89a\x01\0\x01\0", MediaType::Gif),
            (b"GIF87a\x01\0\x01\0", MediaType::Gif),
            (b"RIFF\x24\0\0\0WEBPVP8 ", MediaType::Webp),
            (b"RIFF\x24\0\0\0WAVEfmt ", MediaType::Wav),
            (b"%PDF-1.7\n%\xE2\xE3\xCF\xD3", MediaType::Pdf),
            (b"OggS\0\x02\0\0", MediaType::Ogg),
            (b"ID3\x04\0\0\0\0\0\x21", MediaType::Mp3),
            (&[0xFF, 0xFB, 0x90, 0x64, 0], MediaType::Mp3),
            (&[0xFF, 0xF3, 0x48, 0xC4, 0], MediaType::Mp3),
        ];
        for (bytes, expected) in cases {
            assert_eq!(sniff(bytes), Some(expected), "{bytes:?}");
        }
        assert_eq!(sniff(&ftyp(b"isom")), Some(MediaType::Mp4));
        assert_eq!(sniff(&ftyp(b"mp42")), Some(MediaType::Mp4));
        assert_eq!(sniff(&ftyp(b"M4A ")), Some(MediaType::M4a));
        let webm = b"\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\xF7\x81\x01\x42\x82\x84webm\x42\x87";
        assert_eq!(sniff(webm), Some(MediaType::Webm));
    }

    #[test]
    fn pages_images_of_text_and_scripts_are_refused_whatever_they_claim() {
        let hostile: [&[u8]; 14] = [
            b"",
            b"\x89PNG",
            b"\xFF\xD8",
            b"GIF89",
            b"RIFF\x24\0\0",
            b"<!DOCTYPE html><html><script>alert(1)</script>",
            b"  <html><body onload=alert(1)>",
            b"\xEF\xBB\xBF<html>",
            b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
            b"<svg><script>alert(1)</script></svg>",
            b"alert(document.cookie)",
            b"#!/bin/sh\nrm -rf /",
            b"%PDF",
            b"MZ\x90\0\x03\0\0\0",
        ];
        for bytes in hostile {
            assert_eq!(sniff(bytes), None, "{:?}", String::from_utf8_lossy(bytes));
        }
    }

    #[test]
    fn lookalike_containers_are_refused() {
        // RIFF of another form, QuickTime and HEIF boxes, Matroska, MPEG junk.
        assert_eq!(sniff(b"RIFF\x24\0\0\0AVI LIST"), None);
        assert_eq!(sniff(&ftyp(b"qt  ")), None);
        assert_eq!(sniff(&ftyp(b"heic")), None);
        let mut huge_box = ftyp(b"isom");
        huge_box[0] = 0x7F;
        assert_eq!(
            sniff(&huge_box),
            None,
            "an ftyp box of 2 GB is not a header"
        );
        let mkv = b"\x1A\x45\xDF\xA3\xA3\x42\x82\x88matroska\x42\x87";
        assert_eq!(sniff(mkv), None);
        assert_eq!(sniff(b"\x1A\x45\xDF\xA3"), None, "a bare EBML magic");
        assert_eq!(
            sniff(&[0xFF, 0xFF, 0xFF, 0xFF]),
            None,
            "reserved MPEG values"
        );
        assert_eq!(sniff(&[0xFF, 0xF1, 0x50, 0x80]), None, "AAC, not layer III");
    }

    #[test]
    fn a_sample_keeps_the_head_and_the_end_of_a_long_file() {
        let file: Vec<u8> = (0..5 * SAMPLE_BYTES).map(|i| (i % 251) as u8).collect();
        let mut sample = Sample::default();
        for chunk in file.chunks(7_777) {
            sample.push(chunk);
        }
        let bytes = sample.bytes();
        assert_eq!(bytes.len(), 2 * SAMPLE_BYTES);
        assert_eq!(&bytes[..SAMPLE_BYTES], &file[..SAMPLE_BYTES]);
        assert_eq!(&bytes[SAMPLE_BYTES..], &file[file.len() - SAMPLE_BYTES..]);

        let mut short = Sample::default();
        short.push(&file[..SAMPLE_BYTES + 10]);
        assert_eq!(short.bytes(), &file[..SAMPLE_BYTES + 10], "no byte twice");
    }

    #[test]
    fn every_type_is_in_the_protocols_list_and_the_list_has_nothing_else() {
        let mimes: Vec<&str> = MediaType::ALL.iter().map(|t| t.mime()).collect();
        assert_eq!(mimes, banner_proto::limits::MEDIA_TYPES);
    }
}
