"""
The label checker's findings in the reader's language.

The checker (inspections/labels, plain Python) gives each finding a rule,
an English message (the CLI's, unchanged), a message kind and structured
parameters. Pages, a finding's facts and documents say the finding from
the kind and parameters through the translation catalogue, never by
copying the English message. A finding without a kind (a result stored
before kinds existed, or a rule that has none) is said by its rule's title.
"""

from django.utils.translation import gettext as _

# Message kind -> the sentence, with %(name)s parameters. Message IDs are
# English; the Chinese is in inspections/locale.
KIND_TEXT = {
    "no_label": lambda: _("No implicit label (AIGC) was found in the file's metadata."),
    "site_undecodable": lambda: _("%(where)s: the label could not be decoded."),
    "duplicate_key": lambda: _("%(where)s: the label's JSON repeats the key %(key)s."),
    "invalid_json": lambda: _("%(where)s: the label is not valid JSON."),
    "not_object": lambda: _("%(where)s: the label is a JSON %(type)s, not an object of the Annex E shape."),
    "keys_beside_aigc": lambda: _("%(where)s: keys other than AIGC sit beside it (%(keys)s)."),
    "json_string": lambda: _("%(where)s: the label is a JSON string, not an object."),
    "double_encoded": lambda: _("%(where)s: the label is double-encoded JSON (an object serialised "
                                "inside a string)."),
    "unknown_keys": lambda: _("%(where)s: the label has keys Annex E does not define (%(keys)s)."),
    "field_missing": lambda: _("%(where)s: the field %(field)s is missing or empty."),
    "label_value": lambda: _("%(where)s: Label is %(value)s; it must be the string \"1\", \"2\" or \"3\"."),
    "field_not_string": lambda: _("%(where)s: the field %(field)s is a JSON %(type)s, not a string."),
    "charset": lambda: _("%(where)s: the field %(field)s has characters outside the Annex E set "
                         "(0x21, 0x23–0x5B, 0x5D–0x7E): %(chars)s."),
    "uscc_check_character": lambda: _("%(where)s: the provider code %(code)s in %(field)s embeds "
                                      "%(embedded)s, which fails the USCC check character."),
    "uscc_not_enterprise": lambda: _("%(where)s: the provider code %(code)s in %(field)s embeds the "
                                     "USCC %(embedded)s, not the inspected enterprise's %(expected)s."),
    "service_type": lambda: _("%(where)s: the provider code %(code)s in %(field)s has service type "
                              "“%(value)s”; it must be 0, 1 or 2."),
    "nonstandard_place": lambda: _("%(where)s: the label is in a place GB 45438 and the TC260 guides "
                                   "do not name for this format."),
    "labels_differ": lambda: _("%(count)s different labels in the file (%(where)s)."),
    "label_copies": lambda: _("%(count)s copies of the label in the file (%(where)s); GB 45438 allows "
                              "one implicit label per file."),
    # EXP-03, explicit label of a text sample.
    "text_empty": lambda: _("The text sample is empty: no explicit label can be seen."),
    "lacks_both": lambda: _("The text lacks both the “AI”/“人工智能” and the “生成”/“合成” element."),
    "lacks_ai": lambda: _("The text lacks the “AI”/“人工智能” element."),
    "lacks_synthesis": lambda: _("The text lacks the “生成”/“合成” element."),
    "not_together": lambda: _("The “AI”/“人工智能” and “生成”/“合成” elements are not together at the start "
                              "or the end of the text."),
    # Explicit labels on images, video and audio (inspections/labels/explicit).
    "image_no_label": lambda: _("No explicit label with “AI”/“人工智能” and “生成”/“合成” was read on "
                                "the picture."),
    "label_small": lambda: _("The label “%(text)s” is %(percent)s %% of the picture's shortest side "
                             "(%(px)s of %(side)s pixels), under 5 %%."),
    "label_low_contrast": lambda: _("The label “%(text)s” has a contrast of %(contrast)s:1 against "
                                    "its background, under %(threshold)s:1 (WCAG 2)."),
    "video_shown_short": lambda: _("The label “%(text)s” is shown for %(seconds)s s from the opening "
                                   "frame, under 2 s."),
    "video_too_short": lambda: _("The video lasts %(seconds)s s, so its label is shown under 2 s."),
    "video_label_late": lambda: _("The label is not on the opening frame; “%(text)s” is first seen at "
                                  "%(seconds)s s."),
    "video_no_label": lambda: _("No explicit label was read on the opening frame or on %(frames)s "
                                "frames sampled through the video."),
    "audio_no_label": lambda: _("Neither the 短长短短 rhythm (·− ··) nor speech that could be a voice "
                                "prompt was heard."),
    # EXP-01, a text with no prompt at all.
    "no_text_label": lambda: _("No explicit label: the text has no prompt with “AI”/“人工智能” and "
                               "“生成”/“合成” at the start, in the middle or at the end."),
}


# A rule's sentence when a finding carries no kind (stored before kinds).
RULE_TEXT = {
    "IMP-01": lambda: _("No implicit label (AIGC) was found in the file's metadata."),
    "IMP-02": lambda: _("The label is not well-formed JSON of the Annex E shape."),
    "IMP-03": lambda: _("A required label field is missing or empty."),
    "IMP-04": lambda: _("Label is not the string \"1\", \"2\" or \"3\"."),
    "IMP-05": lambda: _("A label field has characters outside the Annex E set."),
    "IMP-06": lambda: _("The label is in a non-standard place."),
    "IMP-07": lambda: _("The file holds more than one label."),
    "IMP-08": lambda: _("A provider code's embedded USCC is invalid or not the enterprise's."),
    "EXP-03": lambda: _("The text's explicit label lacks the “AI”/“人工智能” or the “生成”/“合成” element."),
    "EXP-01": lambda: _("No explicit label."),
    "EXP-04": lambda: _("The label's text is lower than 5 per cent of the shortest side."),
    "EXP-05": lambda: _("The video label is not on the opening frame or is shown under 2 s."),
    "EXP-06": lambda: _("The audio has neither a voice prompt nor the 短长短短 rhythm."),
    "EXP-08": lambda: _("The label is not prominent (low contrast)."),
}


class _Params(dict):
    """Parameters for a sentence; lists read as comma-separated, a missing one as "—"."""

    def __missing__(self, key):
        return "—"

    def __getitem__(self, key):
        value = super().__getitem__(key) if key in self else self.__missing__(key)
        if isinstance(value, (list, tuple)):
            return "、".join(str(v) for v in value)
        return value


def _rule_text(rule: str) -> str:
    text = RULE_TEXT.get(rule)
    return text() if text else _("The label checker found a problem (rule %(rule)s).") % {"rule": rule}


def finding_text(finding: dict) -> str:
    """One stored checker finding ({rule, message, kind, params}) in the active language."""
    template = KIND_TEXT.get(str(finding.get("kind") or ""))
    params = finding.get("params")
    if not isinstance(params, dict):
        params = {}
    rule = str(finding.get("rule") or "")
    if template is None:
        return _rule_text(rule)
    try:
        return template() % _Params(params)
    except (TypeError, ValueError, KeyError):
        return _rule_text(rule)
