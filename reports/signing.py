"""
Digital signatures of issued documents: PAdES (PDF signatures in the
ETSI EN 319 142 baseline, B-B level) made with pyHanko.

    sign_pdf(pdf_bytes, agency) -> bytes

is the one way a document is signed: issued notices (reports/pdf.py) and
case documents call it. It signs with the signer named by the setting
LABELWATCH_DOCUMENT_SIGNER (a dotted path), by default PadesSigner, which
uses the agency's certificate and key from a PKCS#12 file:

- per agency: LABELWATCH_SIGNING_KEYS, JSON in the environment,
  {"北京市互联网信息办公室": {"pkcs12": "/path/to/key.p12",
                           "password_env": "BJ_SIGNING_PASSWORD"}};
- otherwise one for all: LABELWATCH_SIGNING_PKCS12 (path) with the password
  in LABELWATCH_SIGNING_PKCS12_PASSWORD;
- otherwise (demo, tests, a laptop) a self-signed demo certificate per
  agency, CN "LabelWatch 演示证书（非正式）", made once with `cryptography`
  and kept in settings.DOCUMENT_SIGNING_DEMO_DIR (outside media: it holds a
  private key).

The seam for China's electronic seal (GB/T 38540, SM2/SM3): a certified
e-seal service signs instead when LABELWATCH_DOCUMENT_SIGNER names a class
with the two methods of DocumentSigner; nothing else changes.

Keys are loaded once per process and agency (a batch signs hundreds of
notices with one loaded key); pyHanko is imported where it is used.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

DEMO_COMMON_NAME = "LabelWatch 演示证书（非正式）"
DEMO_PASSPHRASE = b"labelwatch-demo"
SIGNATURE_FIELD = "AgencySignature"
MAX_SIGNATURES_CHECKED = 5


class DocumentSigner(Protocol):
    """What a signer does: sign a PDF for an agency, and say which certificate it signs with."""

    def sign(self, pdf_bytes: bytes, agency_name: str) -> bytes: ...

    def certificate_der(self, agency_name: str) -> bytes: ...


def _agency_name(agency: Any) -> str:
    return str(getattr(agency, "name", agency))


def sign_pdf(pdf_bytes: bytes, agency: Any) -> bytes:
    """The PDF signed for `agency` (a legal.models.Agency or its name) by the configured signer."""
    import asyncio

    signer, name = document_signer(), _agency_name(agency)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return signer.sign(pdf_bytes, name)
    # pyHanko signs through asyncio.run(), which refuses to start inside a
    # running event loop (an async caller; Playwright's in browser tests):
    # sign in a thread of its own there.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(signer.sign, pdf_bytes, name).result()


def agency_certificate_der(agency: Any) -> bytes:
    """The DER certificate the configured signer signs `agency`'s documents with."""
    return document_signer().certificate_der(_agency_name(agency))


@functools.cache
def _signer_of(path: str) -> DocumentSigner:
    return import_string(path)()


def document_signer() -> DocumentSigner:
    return _signer_of(settings.LABELWATCH_DOCUMENT_SIGNER)


@dataclass(frozen=True)
class KeySource:
    path: str
    passphrase: bytes | None
    demo: bool


def key_source(agency_name: str) -> KeySource:
    """Where `agency_name`'s key is: its own PKCS#12, the global one, or the demo certificate."""
    keys = settings.DOCUMENT_SIGNING_KEYS
    if isinstance(keys, str):
        keys = json.loads(keys or "{}")
    own = keys.get(agency_name)
    if own:
        password = os.environ.get(own.get("password_env", ""), "")
        return KeySource(own["pkcs12"], password.encode() or None, demo=False)
    if settings.DOCUMENT_SIGNING_PKCS12:
        password = os.environ.get("LABELWATCH_SIGNING_PKCS12_PASSWORD", "")
        return KeySource(settings.DOCUMENT_SIGNING_PKCS12, password.encode() or None, demo=False)
    return KeySource(str(demo_pkcs12(agency_name)), DEMO_PASSPHRASE, demo=True)


def demo_pkcs12(agency_name: str) -> Path:
    """
    The demo certificate of `agency_name` (self-signed, clearly marked as
    not official), made on first use and kept on disk, so that every process
    signs with the same one and the verification page recognises it.
    """
    folder = Path(settings.DOCUMENT_SIGNING_DEMO_DIR)
    path = folder / f"demo-{hashlib.sha256(agency_name.encode()).hexdigest()[:16]}.p12"
    if path.exists():
        return path
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, agency_name[:64]),
        x509.NameAttribute(NameOID.COMMON_NAME, DEMO_COMMON_NAME),
    ])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .sign(key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        DEMO_COMMON_NAME.encode(), key, certificate, None, BestAvailableEncryption(DEMO_PASSPHRASE))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Written whole, then renamed: processes that race here all end with one valid file.
    partial = folder / f".{path.name}.{os.getpid()}"
    partial.write_bytes(data)
    os.chmod(partial, 0o600)
    os.replace(partial, path)
    return path


@functools.cache
def _loaded_key_signer_class():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign.general import get_pyca_cryptography_hash
    from pyhanko.sign.signers import SimpleSigner

    class LoadedKeySigner(SimpleSigner):
        """
        pyHanko's SimpleSigner, keeping its private key parsed: SimpleSigner
        parses (and for RSA validates) the key again for every signature,
        which costs more than all the rest of signing a notice.

        It also keeps the CMS container of its first PAdES signature as a
        template (_CmsTemplate): pyHanko builds the container anew with
        asn1crypto for every signature (the certificates, the ESS
        signing-certificate attribute), three quarters of signing a notice,
        although with an RSA key and no time-stamp only the document's
        digest and the signature over the signed attributes change.
        """

        _pyca_key = None
        _templates: dict | None = None

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            if not self._is_rsa(digest_algorithm):
                return super().sign_raw(data, digest_algorithm)
            if self._pyca_key is None:
                self._pyca_key = serialization.load_der_private_key(self.signing_key.dump(), password=None)
            return self._pyca_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))

        def _is_rsa(self, digest_algorithm: str) -> bool:
            return self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo == "rsassa_pkcs1v15"

        async def async_sign(self, data_digest, digest_algorithm, dry_run=False, use_pades=False,
                             timestamper=None, signed_attr_settings=None, is_pdf_sig=True,
                             encap_content_info=None):
            extras = signed_attr_settings
            # Only what varies is the digest: a PAdES signature (no signing
            # time among its signed attributes) with pyHanko's default
            # attributes, no time-stamp, no CAdES extras, an RSA key.
            reusable = (use_pades and is_pdf_sig and not dry_run and timestamper is None
                        and encap_content_info is None and not self.attribute_certs
                        and self.signed_attr_prov_spec is None and self.unsigned_attr_prov_spec is None
                        and (extras is None or (extras.cades_signed_attrs is None
                                                and extras.adobe_revinfo_attr is None))
                        and self._is_rsa(digest_algorithm))
            template = (self._templates or {}).get(digest_algorithm) if reusable else None
            if template is not None:
                made = template.sign(data_digest, lambda attrs: self.sign_raw(attrs, digest_algorithm))
                if made is not None:
                    return made
            signed = await super().async_sign(
                data_digest, digest_algorithm, dry_run=dry_run, use_pades=use_pades, timestamper=timestamper,
                signed_attr_settings=signed_attr_settings, is_pdf_sig=is_pdf_sig,
                encap_content_info=encap_content_info)
            if reusable:
                self._templates = {**(self._templates or {}),
                                   digest_algorithm: _CmsTemplate.of(signed, data_digest)}
            return signed

    return LoadedKeySigner


@dataclass(frozen=True)
class _CmsTemplate:
    """
    A CMS signature container (DER) made by pyHanko, in which a new
    signature differs only in two values of fixed length: the message digest
    among the signed attributes, and the signature over those attributes
    (an RSA PKCS#1 v1.5 signature is as long as the key's modulus).
    """

    der: bytes
    attrs_at: int  # where the signed attributes ([0] IMPLICIT SET OF) start in `der`
    attrs: bytes  # ... as signed: tagged as a SET OF
    digest_at: int  # where the message digest lies in `attrs`
    digest_len: int
    signature_at: int
    signature_len: int

    @classmethod
    def of(cls, content_info: Any, digest: bytes) -> _CmsTemplate | None:
        der = content_info.dump()
        signer_info = content_info["content"]["signer_infos"][0]
        tagged = signer_info["signed_attrs"].dump()
        signature = signer_info["signature"].native
        if (der.count(tagged) != 1 or tagged.count(digest) != 1 or der.count(signature) != 1
                or len(content_info["content"]["signer_infos"]) != 1):
            return None
        attrs = b"\x31" + tagged[1:]  # signed as a SET OF (RFC 5652 5.4)
        return cls(der, der.index(tagged), attrs, attrs.index(digest), len(digest), der.index(signature),
                   len(signature))

    def sign(self, digest: bytes, sign_raw) -> Any:
        """The container for a document of `digest`; None where the template does not fit."""
        from asn1crypto import cms

        if len(digest) != self.digest_len:
            return None
        attrs = self.attrs[:self.digest_at] + digest + self.attrs[self.digest_at + self.digest_len:]
        signature = sign_raw(attrs)
        if len(signature) != self.signature_len:
            return None
        der = bytearray(self.der)
        der[self.attrs_at + 1:self.attrs_at + len(attrs)] = attrs[1:]
        der[self.signature_at:self.signature_at + self.signature_len] = signature
        return cms.ContentInfo.load(bytes(der))


@functools.cache
def _load_signer(path: str, passphrase: bytes | None, mtime: float):
    """A pyHanko signer for a PKCS#12 file, loaded once per process (and again when the file changes)."""
    from pyhanko.sign import signers

    try:
        loaded = signers.SimpleSigner.load_pkcs12(pfx_file=path, passphrase=passphrase)
    except ValueError:
        loaded = None
    if loaded is None:
        raise ImproperlyConfigured(f"The signing key {path} cannot be read (wrong file or password).")
    signer = _loaded_key_signer_class()(
        signing_key=loaded.signing_key, signing_cert=loaded.signing_cert, cert_registry=loaded.cert_registry,
        signature_mechanism=loaded.signature_mechanism)
    # Room for the signature container: the certificates it embeds and a
    # margin for the signature and attributes (pyHanko would otherwise sign
    # once more, as a dry run, to measure it).
    reserve = len(signer.signing_cert.dump()) + sum(len(c.dump()) for c in signer.cert_registry) + 4096
    return signer, reserve


class PadesSigner:
    """Signs with the agency's PKCS#12 key (or the demo certificate): an invisible PAdES signature."""

    def _signer(self, agency_name: str):
        source = key_source(agency_name)
        try:
            mtime = os.path.getmtime(source.path)
        except OSError as exc:
            raise ImproperlyConfigured(f"The signing key of {agency_name} is missing: {source.path}") from exc
        return _load_signer(source.path, source.passphrase, mtime)

    def sign(self, pdf_bytes: bytes, agency_name: str) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        metadata = signers.PdfSignatureMetadata(
            field_name=SIGNATURE_FIELD, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
            name=agency_name, reason="发文机关电子签名", location=agency_name,
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
        signer, reserve = self._signer(agency_name)
        return signers.sign_pdf(writer, metadata, signer=signer, bytes_reserved=reserve).getvalue()

    def certificate_der(self, agency_name: str) -> bytes:
        return self._signer(agency_name)[0].signing_cert.dump()


@dataclass
class SignatureCheck:
    """What the signatures of a PDF say, for the verification page."""

    signed: bool = False
    intact: bool = False  # the signed bytes are unchanged
    whole_file: bool = False  # nothing was added after the (last) signature
    by_agency: bool = False  # every signature is the agency's certificate
    signers: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.whole_file and self.by_agency


def certificate_sha256(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def agency_certificate_sha256(agency: Any) -> str:
    """
    The SHA-256 of the certificate `agency`'s documents are signed with: what
    each issued document records, and what the verification page expects.
    """
    return certificate_sha256(agency_certificate_der(agency))


def check_signature(pdf_bytes: bytes, agency: Any, *, certificate: str = "") -> SignatureCheck:
    """
    Check the signatures of an uploaded PDF against the certificate that
    signed the document on record (`certificate`, its SHA-256; when empty,
    `agency`'s current certificate): every signature intact, made with that
    certificate, and covering the whole file (a document signed again or
    changed after signing fails). Never raises on a damaged or foreign file:
    it is just not validly signed.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    expected = certificate or agency_certificate_sha256(agency)
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # a damaged or non-PDF upload: nothing signed to report
        return SignatureCheck()
    if not signatures:
        return SignatureCheck()
    if len(signatures) > MAX_SIGNATURES_CHECKED:
        # An issued document has one; checking hundreds would only serve a denial of service.
        return SignatureCheck(signed=True)
    from asn1crypto import x509 as asn1_x509

    check = SignatureCheck(signed=True, intact=True, whole_file=True, by_agency=True)
    names = []
    for signature in signatures:
        signer = signature.signer_cert
        try:
            # The certificate is its own trust root here: what matters is whose it is, checked below.
            context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(signer.dump())],
                                        allow_fetching=False)
            status = validate_pdf_signature(signature, context)
        except Exception:
            check.intact = False
            continue
        names.append(signer.subject.human_friendly)
        check.intact = check.intact and status.intact and status.valid
        check.by_agency = check.by_agency and certificate_sha256(signer.dump()) == expected
        check.whole_file = check.whole_file and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    # Only the last signature can cover the whole file; earlier ones are a sign of re-signing.
    if len(signatures) > 1:
        check.whole_file = False
    check.signers = tuple(names)
    return check
