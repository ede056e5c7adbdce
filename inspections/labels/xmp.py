"""XMP packets: the TC260 ``AIGC`` property, matched by namespace URI.

The property may be written as an element or as an attribute of
``rdf:Description`` and under any prefix, so matching is on the expanded
name ``{http://www.tc260.org.cn/ns/AIGC/1.0/}AIGC``. The packet is parsed
with defusedxml, which refuses DTDs and entity expansion.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .evidence import Evidence

TC260_NS = "http://www.tc260.org.cn/ns/AIGC/1.0/"
TC260_AIGC = "{" + TC260_NS + "}AIGC"
IPTC_EXT_NS = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
IPTC_SOURCE_TYPE = "{" + IPTC_EXT_NS + "}DigitalSourceType"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_RESOURCE = "{" + RDF_NS + "}resource"
DCTERMS_PROVENANCE = "{http://purl.org/dc/terms/}provenance"
MAX_XMP_BYTES = 4 * 1024 * 1024
MAX_XMP_ELEMENTS = 50_000


def _element_text(element: Element) -> str:
    """Return an element's value, looking into rdf:Alt/Seq/li if nested."""
    if len(element) == 0:
        return element.text or ""
    for child in element.iter():
        if child is not element and child.text and child.text.strip():
            return child.text
    return element.text or ""


def _local_name(expanded: str) -> tuple[str, str]:
    """Split ``{uri}name`` into (uri, name)."""
    if expanded.startswith("{"):
        uri, _, name = expanded[1:].partition("}")
        return uri, name
    return "", expanded


def collect_xmp(evidence: Evidence, packet: bytes, location: str) -> None:
    """Record AIGC sites, IPTC DigitalSourceType and C2PA hints of a packet."""
    if len(packet) > MAX_XMP_BYTES:
        evidence.add_problem(f"{location}: XMP packet larger than {MAX_XMP_BYTES}")
        return
    packet = packet.strip(b"\x00 \t\r\n")
    start = packet.find(b"<")
    if start < 0:
        return
    packet = packet[start:]
    evidence.info.setdefault("xmp", True)
    try:
        root = fromstring(packet, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as error:
        if b"AIGC" in packet or TC260_NS.encode() in packet:
            evidence.add_problem(f"{location}: malformed XMP holding AIGC ({error})")
        else:
            evidence.add_warning(f"{location}: malformed XMP ({error})")
        return
    if TC260_NS.encode() in packet:
        # The walk below explains this namespace; the raw scan need not.
        evidence.info["tc260_namespace"] = True
    for count, element in enumerate(root.iter()):
        if count > MAX_XMP_ELEMENTS:
            evidence.add_problem(f"{location}: XMP has too many elements")
            return
        for name, value in element.attrib.items():
            _consider(evidence, location, name, value, attribute=True)
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.endswith("AIGC") or tag == IPTC_SOURCE_TYPE:
            value = element.get(RDF_RESOURCE) or _element_text(element)
            _consider(evidence, location, tag, value, attribute=False)
        elif tag == DCTERMS_PROVENANCE:
            evidence.info["c2pa_provenance"] = element.text or element.get(
                RDF_RESOURCE, ""
            )


def _consider(
    evidence: Evidence, location: str, name: str, value: str, *, attribute: bool
) -> None:
    """Record one XMP property if it is an AIGC label or an IPTC source type."""
    if name == IPTC_SOURCE_TYPE:
        evidence.info["iptc_digital_source_type"] = value.strip()
        return
    uri, local = _local_name(name)
    if local != "AIGC":
        return
    form = "@" if attribute else ""
    if uri == TC260_NS:
        evidence.add_site(f"{location}:{form}TC260:AIGC", value.strip())
    else:
        # Right property name, wrong (or no) namespace: a reader that
        # matches on the TC260 URI will not see it.
        evidence.add_site(
            f"{location}:{form}{{{uri}}}AIGC", value.strip(), standard=False
        )
