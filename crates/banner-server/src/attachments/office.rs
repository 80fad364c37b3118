//! Office documents, told apart by what their container holds.
//!
//! - OOXML (`.docx`, `.xlsx`, `.pptx`) is a zip with a `[Content_Types].xml`
//!   part and the parts of one application under `word/`, `xl/` or `ppt/`. The
//!   part names are read from the zip's local headers and from its central
//!   directory, wherever the sample holds them. Macro-enabled documents (a
//!   `vbaProject.bin` part) are refused.
//! - OpenDocument (`.odt`, `.ods`) is a zip whose first part is `mimetype`,
//!   stored uncompressed, holding the document's media type.
//! - Legacy Word and Excel (`.doc`, `.xls`) are OLE2 compound files, told by a
//!   directory entry for their main stream (`WordDocument`, `Workbook`). A
//!   sample that does not reach the directory is refused rather than guessed.
//!
//! Any other zip or OLE2 file (archives, installers, e-mails) is refused.

use super::sniff::MediaType;

const ZIP_LOCAL: &[u8; 4] = b"PK\x03\x04";
const ZIP_CENTRAL: &[u8; 4] = b"PK\x01\x02";
const OLE2: &[u8; 8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// An office document's type, if the sample is one.
pub(super) fn sniff(b: &[u8]) -> Option<MediaType> {
    if b.starts_with(ZIP_LOCAL) {
        open_document(b).or_else(|| ooxml(b))
    } else if b.starts_with(OLE2) {
        ole2(b)
    } else {
        None
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<usize> {
    Some(usize::from(u16::from_le_bytes(
        b.get(at..at + 2)?.try_into().ok()?,
    )))
}

fn u32_at(b: &[u8], at: usize) -> Option<usize> {
    usize::try_from(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?)).ok()
}

/// An OpenDocument text or spreadsheet: the first local header is the
/// uncompressed `mimetype` part.
fn open_document(b: &[u8]) -> Option<MediaType> {
    let method = u16_at(b, 8)?;
    let size = u32_at(b, 18)?;
    let name_len = u16_at(b, 26)?;
    let extra_len = u16_at(b, 28)?;
    if method != 0 || b.get(30..30 + name_len)? != b"mimetype" {
        return None;
    }
    let start = 30 + name_len + extra_len;
    match b.get(start..start + size)? {
        b"application/vnd.oasis.opendocument.text" => Some(MediaType::Odt),
        b"application/vnd.oasis.opendocument.spreadsheet" => Some(MediaType::Ods),
        _ => None,
    }
}

/// The part names of every zip header (local or central) found in `b`.
fn zip_names(b: &[u8]) -> impl Iterator<Item = &[u8]> {
    b.windows(4).enumerate().filter_map(|(i, sig)| {
        let (len_at, name_at) = if sig == ZIP_LOCAL {
            (i + 26, i + 30)
        } else if sig == ZIP_CENTRAL {
            (i + 28, i + 46)
        } else {
            return None;
        };
        let len = u16_at(b, len_at)?;
        b.get(name_at..name_at + len)
    })
}

/// A Word, Excel or PowerPoint document in the Office Open XML format.
fn ooxml(b: &[u8]) -> Option<MediaType> {
    let (mut types, mut word, mut excel, mut slides, mut macros) =
        (false, false, false, false, false);
    for name in zip_names(b) {
        types |= name == b"[Content_Types].xml";
        word |= name.starts_with(b"word/");
        excel |= name.starts_with(b"xl/");
        slides |= name.starts_with(b"ppt/");
        macros |= name.to_ascii_lowercase().ends_with(b"vbaproject.bin");
    }
    if !types || macros {
        return None;
    }
    match (word, excel, slides) {
        (true, false, false) => Some(MediaType::Docx),
        (false, true, false) => Some(MediaType::Xlsx),
        (false, false, true) => Some(MediaType::Pptx),
        _ => None,
    }
}

/// Whether `b` holds an OLE2 directory entry for a stream named `name`: the
/// UTF-16LE name, NUL-padded to 64 bytes, its length in bytes with the NUL,
/// and the stream type (2).
fn has_stream(b: &[u8], name: &str) -> bool {
    let utf16: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let declared = utf16.len() + 2;
    b.windows(utf16.len()).enumerate().any(|(at, window)| {
        window == utf16.as_slice()
            && b.get(at + utf16.len()..at + 64)
                .is_some_and(|pad| pad.iter().all(|&x| x == 0))
            && u16_at(b, at + 64) == Some(declared)
            && b.get(at + 66) == Some(&2)
    })
}

/// A legacy Word or Excel file. PowerPoint (not allowed) is recognised first
/// so that a presentation with an embedded workbook is not taken for one.
fn ole2(b: &[u8]) -> Option<MediaType> {
    if has_stream(b, "PowerPoint Document") {
        None
    } else if has_stream(b, "WordDocument") {
        Some(MediaType::Doc)
    } else if has_stream(b, "Workbook") {
        Some(MediaType::Xls)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::sniff::sniff;
    use super::*;

    /// A zip of stored parts, with local headers, a central directory and its
    /// end record (CRCs left at zero: the sniffer does not check them).
    fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let (mut out, mut central) = (Vec::new(), Vec::new());
        for (name, data) in parts {
            let offset = out.len() as u32;
            let (size, len) = (data.len() as u32, name.len() as u16);
            out.extend_from_slice(ZIP_LOCAL);
            out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(data);

            central.extend_from_slice(ZIP_CENTRAL);
            central.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            central.extend_from_slice(&size.to_le_bytes());
            central.extend_from_slice(&size.to_le_bytes());
            central.extend_from_slice(&len.to_le_bytes());
            central.extend_from_slice(&[0; 12]);
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        let (count, at) = (parts.len() as u16, out.len() as u32);
        let central_len = central.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&central_len.to_le_bytes());
        out.extend_from_slice(&at.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out
    }

    fn ooxml_parts(app: &str) -> Vec<(String, Vec<u8>)> {
        vec![
            ("[Content_Types].xml".into(), b"<Types/>".to_vec()),
            ("_rels/.rels".into(), b"<Relationships/>".to_vec()),
            (format!("{app}/document.xml"), b"<document/>".to_vec()),
        ]
    }

    fn zip_owned(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
        let borrowed: Vec<(&str, &[u8])> = parts
            .iter()
            .map(|(n, d)| (n.as_str(), d.as_slice()))
            .collect();
        zip(&borrowed)
    }

    /// An OLE2 file: the header sector, then one directory sector.
    fn ole2_file(streams: &[&str]) -> Vec<u8> {
        let mut out = OLE2.to_vec();
        out.resize(512, 0);
        for (i, name) in std::iter::once("Root Entry")
            .chain(streams.iter().copied())
            .enumerate()
        {
            let mut entry = vec![0u8; 128];
            let utf16: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
            entry[..utf16.len()].copy_from_slice(&utf16);
            entry[64..66].copy_from_slice(&((utf16.len() + 2) as u16).to_le_bytes());
            entry[66] = if i == 0 { 5 } else { 2 };
            out.extend_from_slice(&entry);
        }
        out
    }

    #[test]
    fn ooxml_documents_are_told_by_their_parts() {
        for (app, expected) in [
            ("word", MediaType::Docx),
            ("xl", MediaType::Xlsx),
            ("ppt", MediaType::Pptx),
        ] {
            assert_eq!(sniff(&zip_owned(&ooxml_parts(app))), Some(expected));
        }
    }

    #[test]
    fn ooxml_parts_are_found_in_the_central_directory_too() {
        // A big first part pushes every local header but the first out of the
        // head; the end of the file (the central directory) still names them.
        let mut parts = ooxml_parts("xl");
        parts.insert(0, ("docProps/thumbnail.jpeg".into(), vec![0x55; 300_000]));
        let file = zip_owned(&parts);
        let mut sample = super::super::sniff::Sample::default();
        sample.push(&file);
        assert_eq!(sniff(&sample.bytes()), Some(MediaType::Xlsx));
    }

    #[test]
    fn open_documents_are_told_by_their_mimetype_part() {
        let odt = zip(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"<office:document-content/>"),
        ]);
        assert_eq!(sniff(&odt), Some(MediaType::Odt));
        let ods = zip(&[(
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        )]);
        assert_eq!(sniff(&ods), Some(MediaType::Ods));
    }

    #[test]
    fn legacy_word_and_excel_are_told_by_their_main_stream() {
        assert_eq!(
            sniff(&ole2_file(&["WordDocument", "1Table"])),
            Some(MediaType::Doc)
        );
        assert_eq!(sniff(&ole2_file(&["Workbook"])), Some(MediaType::Xls));
    }

    #[test]
    fn other_zips_and_compound_files_are_refused() {
        let refused = [
            zip(&[("index.html", b"<script>alert(1)</script>")]),
            zip(&[("word/document.xml", b"<document/>")]),
            zip_owned(&[ooxml_parts("word"), ooxml_parts("xl")].concat()),
            zip_owned(
                &[
                    ooxml_parts("word"),
                    vec![("word/vbaProject.bin".into(), vec![0; 8])],
                ]
                .concat(),
            ),
            zip(&[("mimetype", b"application/epub+zip")]),
            zip(&[(
                "mimetype",
                b"application/vnd.oasis.opendocument.text-template",
            )]),
            ole2_file(&["__substg1.0_0037001F"]),
            ole2_file(&["PowerPoint Document", "Workbook"]),
            OLE2.to_vec(),
            ZIP_LOCAL.to_vec(),
            b"PK\x03\x04\x14\0\0\0\0\0".to_vec(),
        ];
        for file in refused {
            assert_eq!(sniff(&file), None, "{:?}", String::from_utf8_lossy(&file));
        }
    }

    #[test]
    fn a_stream_name_in_document_text_is_not_a_directory_entry() {
        let mut file = OLE2.to_vec();
        file.resize(512, 0);
        file.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
        file.extend_from_slice(b" is what I typed");
        assert_eq!(sniff(&file), None);
    }
}
