"""
Each issue code's legal-basis text is rewritten from its provisions
(legal.CodeBasis): corrected GB 45438 clauses (5.1 text, 5.2 image, 5.3
audio, 5.4 video), PLT-03 on 第六条第二款, FIL-01 without the Measures'
Art. 12, TC260 guides only as “参照”. Open findings that still carry the
code's old text get the new one; notified findings keep what their issued
notice said.
"""

from django.db import migrations

DIGITS = "零一二三四五六七八九"


def _cn(n: int) -> str:
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n - 10] if n > 10 else "")
    parts, zero = [], False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            if zero and parts:
                parts.append("零")
            parts.append(DIGITS[digit] + unit)
            zero = False
        elif parts:
            zero = True
    return "".join(parts)


def _locator(p) -> str:
    if not p.number_verified:
        return f"关于{p.topic}的规定"
    if p.clause:
        return p.clause if p.clause.startswith(("第", "附录")) else f"第{p.clause}条"
    text = f"第{_cn(p.article)}条" if p.article else ""
    text += f"第{_cn(p.paragraph)}款" if p.paragraph else ""
    text += f"第（{_cn(p.item)}）项" if p.item else ""
    return text


def _name(d) -> str:
    standard = d.force in ("mandatory_standard", "recommended_standard")
    return f"{d.number}{d.title}" if standard and d.number else d.title


def _join(provisions) -> str:
    groups: dict[int, tuple[str, list[str]]] = {}
    for p in provisions:
        name, locators = groups.setdefault(p.document_id, (_name(p.document), []))
        if _locator(p) not in locators:
            locators.append(_locator(p))
    return "；".join(name + "、".join(locators) for name, locators in groups.values())


def forwards(apps, schema_editor):
    IssueCode = apps.get_model("inspections", "IssueCode")
    Finding = apps.get_model("inspections", "Finding")
    CodeBasis = apps.get_model("legal", "CodeBasis")
    binding = {"law", "regulation", "rule", "normative", "mandatory_standard"}
    for code in IssueCode.objects.all():
        rows = list(CodeBasis.objects.filter(code=code.pk).select_related("provision__document")
                    .order_by("position", "pk"))
        if not rows:
            continue
        violated = [r.provision for r in rows if r.role == "violated" and r.provision.document.force in binding]
        references = [r.provision for r in rows if r not in violated and r.provision not in violated]
        text = _join(violated)
        if references:
            text += ("；" if text else "") + "参照" + _join(references)
        if text != code.legal_basis:
            Finding.objects.filter(issue_code=code, status="open", legal_basis=code.legal_basis).update(
                legal_basis=text)
            code.legal_basis = text
            code.save(update_fields=["legal_basis"])


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0011_agencies_from_campaigns"),
        ("legal", "0003_provision_data"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
