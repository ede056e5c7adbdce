"""Each IMP rule firing and not firing, through real carriers."""

from __future__ import annotations

import json

import pytest

from inspections.labels import RULES
from inspections.labels.result import Site
from inspections.labels.rules import decode_label, evaluate_sites

from . import builders
from .conftest import check_bytes

LABEL = builders.label_json()


def rules_for(label: str, **options: object) -> list[str]:
    """Return the rule ids a PNG carrying ``label`` in XMP triggers."""
    return check_bytes(builders.png_xmp(label), **options).rules


def test_every_rule_has_a_message() -> None:
    assert sorted(RULES) == [f"IMP-0{n}" for n in range(1, 9)]


def test_imp01_fires_without_a_label_and_not_with_one() -> None:
    assert check_bytes(builders.png_xmp(None)).rules == ["IMP-01"]
    assert rules_for(LABEL) == []


@pytest.mark.parametrize(
    "raw",
    [
        '{"Label":"1",',  # truncated JSON
        '{"Label":"1","Label":"2","ContentProducer":"a","ProduceID":"b"}',
        json.dumps(LABEL),  # double-encoded
        json.dumps({"AIGC": LABEL}),  # wrapped, inner double-encoded
        '["Label","1"]',
        '{"AIGC":{"Label":"1","ContentProducer":"a","ProduceID":"b"},"x":1}',
        '{"Label":"1","ContentProducer":"a","ProduceID":"b","Extra":"c"}',
        '{"Label":"1","ContentProducer":"a","ProduceID":NaN}',
        "[" * 5000 + "]" * 5000,
    ],
    ids=[
        "truncated",
        "duplicate-key",
        "double-encoded",
        "double-encoded-inner",
        "array",
        "extra-wrapper-key",
        "unknown-field",
        "nan",
        "deep",
    ],
)
def test_imp02_fires_on_bad_json_and_bad_shapes(raw: str) -> None:
    assert "IMP-02" in rules_for(raw)


def test_imp02_names_double_encoding() -> None:
    result = check_bytes(builders.png_xmp(json.dumps(LABEL)))
    assert "double-encoded" in result.findings[0].message


@pytest.mark.parametrize("wrapped", [False, True])
def test_imp02_does_not_fire_on_either_accepted_shape(wrapped: bool) -> None:
    assert rules_for(builders.label_json(wrapped=wrapped)) == []


@pytest.mark.parametrize("field", ["Label", "ContentProducer", "ProduceID"])
def test_imp03_fires_when_a_required_field_is_missing_or_empty(field: str) -> None:
    assert "IMP-03" in rules_for(builders.label_json(**{field: None}))
    assert "IMP-03" in rules_for(builders.label_json(**{field: ""}))


def test_imp03_does_not_fire_for_empty_optional_fields() -> None:
    optional = {"ReservedCode1": "", "ContentPropagator": None, "PropagateID": None}
    assert rules_for(builders.label_json(**optional)) == []


@pytest.mark.parametrize("value", ["AIGC", "0", "4", 1, True, "1 "])
def test_imp04_fires_unless_label_is_the_string_1_2_or_3(value: object) -> None:
    assert "IMP-04" in rules_for(builders.label_json(Label=value))


@pytest.mark.parametrize("value", ["1", "2", "3"])
def test_imp04_does_not_fire_for_1_2_or_3(value: str) -> None:
    assert rules_for(builders.label_json(Label=value)) == []


@pytest.mark.parametrize(
    "producer", ["Minimax Agent AI", "豆包", 'a"b', "back\\slash", "tab\there"]
)
def test_imp05_fires_on_characters_outside_the_annex_e_set(producer: str) -> None:
    assert rules_for(builders.label_json(ContentProducer=producer)) == ["IMP-05"]


def test_imp05_does_not_fire_on_printable_ascii_names() -> None:
    allowed = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"\\')
    assert rules_for(builders.label_json(ContentProducer=allowed)) == []


@pytest.mark.parametrize(
    "data",
    [
        builders.jpeg_bytes(
            exif=builders.exif_block(image_description=builders.label_json(True))
        ),
        builders.jpeg_bytes(
            segments=(builders.jpeg_segment(0xEA, b"AIGC" + LABEL.encode()),)
        ),
        builders.png_bytes(builders.text_chunk("Comment", LABEL)),
        builders.mp4_bytes(meta=builders.freeform_meta("AIGC", LABEL)),
        builders.mp3_bytes(LABEL, description="Comment AIGC"),
        builders.wav_bytes(info_comment=LABEL),
        builders.pdf_bytes(None, extra_info={"Subject": LABEL}),
        builders.docx_bytes(custom=builders.custom_xml({"AIGC": LABEL}, "i4")),
        builders.markdown_bytes(None) + LABEL.encode(),
        builders.mkv_bytes(tags=builders.mkv_tags(builders.simple_tag("aigc", LABEL))),
        builders.mkv_bytes(
            tags=builders.mkv_tags(
                builders.simple_tag(
                    "TITLE", "x", nested=(builders.simple_tag("AIGC", LABEL),)
                )
            )
        ),
        builders.mkv_bytes(
            tags=builders.mkv_tags(builders.simple_tag("AIGC", binary=LABEL.encode()))
        ),
        builders.mkv_bytes(
            tags=builders.mkv_tags(builders.simple_tag("COMMENT", LABEL))
        ),
        builders.flv_bytes(
            script_tags=(builders.flv_metadata([("AIGC", builders.label_fields())]),)
        ),
        builders.flv_bytes(
            script_tags=(
                builders.flv_metadata([]),
                builders.flv_tag(
                    18,
                    builders.amf_string("onCuePoint")
                    + builders.amf_ecma_array([("AIGC", LABEL)]),
                ),
            )
        ),
        builders.flv_bytes(script_tags=(builders.flv_metadata([("comment", LABEL)]),)),
    ],
    ids=[
        "exif-description",
        "jpeg-app10-blob",
        "png-comment",
        "mp4-freeform",
        "id3-other-txxx",
        "wav-icmt",
        "pdf-subject",
        "docx-non-string",
        "markdown-body",
        "mkv-lowercase-tagname",
        "mkv-nested-simpletag",
        "mkv-tagbinary",
        "mkv-comment",
        "flv-amf-object",
        "flv-oncuepoint",
        "flv-comment",
    ],
)
def test_imp06_fires_for_a_label_in_a_non_standard_place(data: bytes) -> None:
    result = check_bytes(data)
    assert result.verdict == "noncompliant"
    assert result.rules == ["IMP-06"], result.findings


def test_imp06_does_not_fire_for_standard_places() -> None:
    for build in builders.STANDARD_BUILDERS.values():
        assert "IMP-06" not in check_bytes(build(LABEL)).rules


def test_imp07_fires_when_two_sites_disagree() -> None:
    packet = builders.xmp_packet(builders.label_json(Label="2"))
    exif = builders.exif_block(user_comment=builders.label_json(wrapped=True))
    result = check_bytes(builders.jpeg_bytes(xmp=packet, exif=exif))
    assert result.rules == ["IMP-07"]
    assert len(result.sites) == 2


def test_imp07_fires_for_identical_copies_one_label_per_file() -> None:
    # GB 45438 6.1 c): a label in XMP and the same label in EXIF are two.
    exif = builders.exif_block(user_comment=builders.label_json(wrapped=True))
    data = builders.jpeg_bytes(xmp=builders.xmp_packet(LABEL), exif=exif)
    result = check_bytes(data)
    assert result.verdict == "noncompliant"
    assert result.rules == ["IMP-07"]
    assert "2 copies" in result.findings[0].message
    assert result.label is not None and len(result.sites) == 2


def test_imp07_fires_when_two_matroska_aigc_simple_tags_disagree() -> None:
    tags = builders.mkv_tags(
        builders.simple_tag("AIGC", LABEL),
        builders.simple_tag("AIGC", builders.label_json(Label="2")),
    )
    result = check_bytes(builders.mkv_bytes(tags=tags))
    assert result.rules == ["IMP-07"]
    assert [site.location for site in result.sites] == [
        "matroska:Segment/Tags/Tag/SimpleTag:AIGC",
        "matroska:Segment/Tags/Tag/SimpleTag:AIGC#2",
    ]


def test_imp07_fires_when_two_matroska_tags_elements_repeat_the_label() -> None:
    tags = builders.mkv_tags(builders.simple_tag("AIGC", LABEL))
    result = check_bytes(builders.mkv_bytes(tags=tags + tags))
    assert result.rules == ["IMP-07"]
    assert len(result.sites) == 2


def test_imp07_fires_when_onmetadata_repeats_aigc_with_another_value() -> None:
    items = [("AIGC", LABEL), ("AIGC", builders.label_json(Label="3"))]
    data = builders.flv_bytes(script_tags=(builders.flv_metadata(items),))
    result = check_bytes(data)
    assert result.rules == ["IMP-07"]
    assert [site.location for site in result.sites] == [
        "flv:onMetaData:AIGC",
        "flv:onMetaData:AIGC#2",
    ]


def test_imp07_fires_when_two_onmetadata_tags_disagree() -> None:
    tags = (
        builders.flv_metadata([("AIGC", LABEL)]),
        builders.flv_metadata([("AIGC", builders.label_json(ProduceID="OTHER1"))]),
    )
    result = check_bytes(builders.flv_bytes(script_tags=tags))
    assert result.rules == ["IMP-07"]
    assert len(result.sites) == 2


def test_imp08_fires_when_the_embedded_uscc_fails_its_check_character() -> None:
    bad_code = "00119144030070846113601XGW3"  # check char T changed to 0
    assert rules_for(builders.label_json(ContentProducer=bad_code)) == ["IMP-08"]


def test_imp08_fires_when_the_uscc_is_not_the_enterprises() -> None:
    rules = rules_for(LABEL, expected_uscc=builders.OTHER_VALID_USCC)
    assert rules == ["IMP-08"]


def test_imp08_fires_on_an_unknown_service_type() -> None:
    code = builders.PROVIDER_CODE[:22] + "9" + builders.PROVIDER_CODE[23:]
    assert rules_for(builders.label_json(ContentProducer=code)) == ["IMP-08"]


@pytest.mark.parametrize(
    "producer",
    [builders.PROVIDER_CODE, "001191110102MACQD9K64010000", "doubao", "MiniMax"],
)
def test_imp08_does_not_fire_for_valid_codes_or_plain_names(producer: str) -> None:
    assert rules_for(builders.label_json(ContentProducer=producer)) == []


def test_imp08_does_not_fire_when_the_uscc_matches() -> None:
    assert rules_for(LABEL, expected_uscc=builders.ENTERPRISE_USCC) == []


def test_decode_label_unescapes_xml_escaped_json() -> None:
    site = Site("raw@0", LABEL.replace('"', "&quot;"))
    assert decode_label(site).fields == builders.label_fields()


def test_evaluate_sites_is_inconclusive_on_problems_even_with_no_sites() -> None:
    evaluation = evaluate_sites([], problems=["truncated"])
    assert evaluation.verdict == "inconclusive"
    assert evaluation.findings == []


def test_markdown_plain_yaml_number_is_not_the_string_label() -> None:
    data = b"---\nAIGC:\n  Label: 1\n  ContentProducer: doubao\n  ProduceID: X1\n---\n"
    assert check_bytes(data).rules == ["IMP-04"]


def test_markdown_duplicate_keys_are_imp02() -> None:
    data = b"---\nAIGC:\n  Label: '1'\n  Label: '2'\n---\n"
    assert "IMP-02" in check_bytes(data).rules


def test_findings_carry_a_kind_and_parameters_but_the_cli_schema_is_unchanged():
    """checklabels --json keeps {rule, message}; the application stores kind and params too."""
    from inspections import checker_text
    from inspections.labels.result import Finding as LabelFinding

    finding = LabelFinding("IMP-03", "x: ProduceID is missing or empty", "field_missing",
                           {"where": "x", "field": "ProduceID"})
    assert finding.to_json_dict() == {"rule": "IMP-03", "message": "x: ProduceID is missing or empty"}
    assert finding.to_record_dict()["params"] == {"where": "x", "field": "ProduceID"}
    # Every kind the rules emit has a sentence.
    import inspect
    import re

    from inspections.labels import explicit, rules

    source = inspect.getsource(rules) + inspect.getsource(explicit)
    emitted = set(re.findall(r'"([a-z_]+)",\s*\n?\s*\{', source)) | {"no_label", "site_undecodable",
                                                                  "invalid_json", "json_string",
                                                                  "double_encoded"}
    emitted -= {"where"}
    assert emitted <= set(checker_text.KIND_TEXT), emitted - set(checker_text.KIND_TEXT)
