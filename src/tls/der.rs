//! Just enough DER to read what webpki does not show of a certificate:
//! the signed part and its signature, and the key usages. Used only on
//! certificates webpki has already parsed (strict DER), yet checked at
//! every step: any input gives `None`, never a panic.

/// The parts of an X.509 certificate the bundle verifier checks itself.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Certificate<'a> {
    /// The whole `tbsCertificate` (tag and length included): what the
    /// issuer signed.
    pub(super) tbs: &'a [u8],
    /// The contents of the outer `signatureAlgorithm` (an
    /// AlgorithmIdentifier without its SEQUENCE header), as webpki's
    /// algorithms name themselves.
    pub(super) signature_algorithm: &'a [u8],
    /// The same field inside `tbsCertificate`, which must be equal.
    pub(super) tbs_signature_algorithm: &'a [u8],
    /// The signature's bits.
    pub(super) signature: &'a [u8],
    /// The contents of the extended key usage extension (a SEQUENCE OF
    /// OBJECT IDENTIFIER), when there is one.
    pub(super) extended_key_usage: Option<&'a [u8]>,
    /// The key usage extension's BIT STRING contents (the unused-bits count,
    /// then the bits), when there is one.
    pub(super) key_usage: Option<&'a [u8]>,
}

const BOOLEAN: u8 = 0x01;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const OCTET_STRING: u8 = 0x04;
const OID: u8 = 0x06;
const SEQUENCE: u8 = 0x30;
/// `[0] EXPLICIT`: the version.
const VERSION: u8 = 0xa0;
/// `[3] EXPLICIT`: the extensions.
const EXTENSIONS: u8 = 0xa3;

/// id-ce-extKeyUsage, 2.5.29.37.
const EXTENDED_KEY_USAGE_OID: &[u8] = &[0x55, 0x1d, 0x25];
/// id-ce-keyUsage, 2.5.29.15.
const KEY_USAGE_OID: &[u8] = &[0x55, 0x1d, 0x0f];

/// One tag-length-value.
struct Tlv<'a> {
    tag: u8,
    value: &'a [u8],
    whole: &'a [u8],
}

/// Reads one TLV off the front of `input`.
fn next<'a>(input: &mut &'a [u8]) -> Option<Tlv<'a>> {
    let all: &'a [u8] = input;
    let (&tag, rest) = all.split_first()?;
    if tag & 0x1f == 0x1f {
        return None; // multi-byte tags: none where we look
    }
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 {
            return None;
        }
        let (bytes, rest) = rest.split_at_checked(count)?;
        let len = bytes.iter().try_fold(0usize, |len, &b| {
            len.checked_mul(256)?.checked_add(usize::from(b))
        })?;
        (len, rest)
    };
    let (value, rest) = rest.split_at_checked(len)?;
    let whole = all.get(..all.len() - rest.len())?;
    *input = rest;
    Some(Tlv { tag, value, whole })
}

/// Reads one TLV with tag `tag` off the front of `input`.
fn expect<'a>(input: &mut &'a [u8], tag: u8) -> Option<Tlv<'a>> {
    let tlv = next(input)?;
    (tlv.tag == tag).then_some(tlv)
}

impl<'a> Certificate<'a> {
    /// Reads the DER of a certificate.
    pub(super) fn parse(der: &'a [u8]) -> Option<Self> {
        let mut input = der;
        let mut certificate = expect(&mut input, SEQUENCE)?.value;
        let tbs = expect(&mut certificate, SEQUENCE)?;
        let signature_algorithm = expect(&mut certificate, SEQUENCE)?.value;
        let (&unused_bits, signature) =
            expect(&mut certificate, BIT_STRING)?.value.split_first()?;
        if unused_bits != 0 || !certificate.is_empty() || !input.is_empty() {
            return None;
        }

        let mut fields = tbs.value;
        if fields.first() == Some(&VERSION) {
            next(&mut fields)?;
        }
        expect(&mut fields, INTEGER)?; // serialNumber
        let tbs_signature_algorithm = expect(&mut fields, SEQUENCE)?.value;
        for _ in ["issuer", "validity", "subject", "subjectPublicKeyInfo"] {
            expect(&mut fields, SEQUENCE)?;
        }
        let mut this = Self {
            tbs: tbs.whole,
            signature_algorithm,
            tbs_signature_algorithm,
            signature,
            extended_key_usage: None,
            key_usage: None,
        };
        // issuerUniqueID [1], subjectUniqueID [2], extensions [3].
        while !fields.is_empty() {
            let field = next(&mut fields)?;
            if field.tag == EXTENSIONS {
                let mut outer = field.value;
                this.read_extensions(expect(&mut outer, SEQUENCE)?.value)?;
            }
        }
        Some(this)
    }

    /// Reads the extensions this module knows from their SEQUENCE's contents.
    fn read_extensions(&mut self, mut extensions: &'a [u8]) -> Option<()> {
        while !extensions.is_empty() {
            let mut extension = expect(&mut extensions, SEQUENCE)?.value;
            let id = expect(&mut extension, OID)?.value;
            if extension.first() == Some(&BOOLEAN) {
                next(&mut extension)?; // critical
            }
            let mut value = expect(&mut extension, OCTET_STRING)?.value;
            if id == EXTENDED_KEY_USAGE_OID {
                self.extended_key_usage = Some(expect(&mut value, SEQUENCE)?.value);
            } else if id == KEY_USAGE_OID {
                self.key_usage = Some(expect(&mut value, BIT_STRING)?.value);
            }
        }
        Some(())
    }
}

/// The contents of each OBJECT IDENTIFIER of a SEQUENCE OF them (given
/// without its header).
pub(super) fn object_identifiers(mut sequence: &[u8]) -> Option<Vec<&[u8]>> {
    let mut ids = Vec::new();
    while !sequence.is_empty() {
        ids.push(expect(&mut sequence, OID)?.value);
    }
    Some(ids)
}

/// The arcs of an OBJECT IDENTIFIER's contents: `[1, 3, 6, 1, 5, 5, 7, 3, 2]`.
pub(super) fn arcs(id: &[u8]) -> Option<Vec<usize>> {
    let mut arcs = Vec::new();
    let mut value = 0usize;
    for (i, &byte) in id.iter().enumerate() {
        value = value
            .checked_mul(128)?
            .checked_add(usize::from(byte & 0x7f))?;
        if byte & 0x80 != 0 {
            if i + 1 == id.len() {
                return None; // cut off in the middle of an arc
            }
            continue;
        }
        if arcs.is_empty() {
            let first = (value / 40).min(2);
            arcs.push(first);
            arcs.push(value - first * 40);
        } else {
            arcs.push(value);
        }
        value = 0;
    }
    (!arcs.is_empty()).then_some(arcs)
}
