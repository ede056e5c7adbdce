"""
The statutory time limits of the case procedure, with their provisions and
whether each length was verified against a public text of the provision
(source notes say where). Unverified ones are configurable assumptions.
"""

from django.db import migrations

LIMITS = [
    # code, length, unit, citation, verified, warn_days_before, source note
    ("filing", 15, "working_days",
     "《网信部门行政执法程序规定》（国家互联网信息办公室令第14号，2023年6月1日起施行）",
     False, 3,
     "15 working days from discovering the clue to the filing decision. The 2023 text "
     "could not be retrieved from a public source while this was built; the article "
     "number is therefore not cited. Check and correct here."),
    ("handling", 90, "calendar_days",
     "《中华人民共和国行政处罚法》（2021年修订）第六十条",
     True, 10,
     "Art. 60: 行政机关应当自行政处罚案件立案之日起九十日内作出行政处罚决定。法律、法规、规章"
     "另有规定的，从其规定。Verified: laweer.com and ahdhf.com (quoting the Supreme People's "
     "Court digital library)."),
    ("handling_extension", 90, "calendar_days",
     "《网信部门行政执法程序规定》（国家互联网信息办公室令第14号，2023年6月1日起施行）",
     False, 10,
     "The CAC rules allow the handling period to be extended with the approval of the "
     "head of the office; the length of the extension could not be verified from a "
     "public source. Check and correct here."),
    ("statement", 5, "working_days",
     "《网信部门行政执法程序规定》（国家互联网信息办公室令第14号，2023年6月1日起施行）",
     False, 1,
     "5 working days from service of the prior notice for the statement and defence "
     "(the Administrative Penalty Law, Arts. 44-45, sets the right but no period). Not "
     "verified from a public source. Check and correct here."),
    ("hearing_request", 5, "working_days",
     "《中华人民共和国行政处罚法》（2021年修订）第六十四条第一项、第八十五条",
     True, 1,
     "Art. 64(1): 当事人要求听证的，应当在行政机关告知后五日内提出 (verified: btdsss.gov.cn, "
     "eaola.com, laweer.com). Counted in working days under Art. 85 (二日、三日、五日、七日"
     "指工作日); Art. 85 itself was not found in a public source while this was built."),
    ("hearing_notice", 7, "working_days",
     "《中华人民共和国行政处罚法》（2021年修订）第六十四条第二项、第八十五条",
     True, 0,
     "Art. 64(2): 行政机关应当在举行听证的七日前，通知当事人及有关人员听证的时间、地点 "
     "(verified: eaola.com, laweer.com)."),
    ("service", 7, "working_days",
     "《中华人民共和国行政处罚法》（2021年修订）第六十一条、第八十五条",
     True, 2,
     "Art. 61: 当事人不在场的，行政机关应当在七日内依照《中华人民共和国民事诉讼法》的有关"
     "规定，将行政处罚决定书送达当事人 (verified: law.bian-jie.cn)."),
    ("preservation", 7, "working_days",
     "《中华人民共和国行政处罚法》（2021年修订）第五十六条、第八十五条",
     False, 2,
     "Art. 56: 先行登记保存…应当在七日内及时作出处理决定. Only the 1996 text (old Art. 37) "
     "was found in a public source while this was built."),
    ("reconsideration", 60, "calendar_days",
     "《中华人民共和国行政复议法》（2023年修订）第二十条第一款",
     False, 0,
     "60 days from knowing of the act (project reference, labeling-rules.md); the 2023 "
     "text of Art. 20 was not found in a public source while this was built."),
    ("litigation", 6, "months",
     "《中华人民共和国行政诉讼法》第四十六条第一款",
     True, 0,
     "Art. 46: 应当自知道或者应当知道作出行政行为之日起六个月内提出 (verified: "
     "m.law.iask.sina.com.cn, mip.64365.com)."),
]


def add_limits(apps, schema_editor):
    TimeLimit = apps.get_model("cases", "TimeLimit")
    for code, length, unit, citation, verified, warn, note in LIMITS:
        TimeLimit.objects.update_or_create(code=code, defaults={
            "length": length, "unit": unit, "citation": citation, "verified": verified,
            "warn_days_before": warn, "source_note": note,
        })


def remove_limits(apps, schema_editor):
    apps.get_model("cases", "TimeLimit").objects.filter(code__in=[row[0] for row in LIMITS]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(add_limits, remove_limits)]
