"""
Legal citations for notices, as versioned data (labeling-rules.md §6.4).
Article numbers of rules other than the Measures must be re-checked against
the official texts before use; a change is a new version in the admin, never
an edit of these rows.
"""

import datetime

from django.db import migrations

D = datetime.date
MEASURES = ("《人工智能生成合成内容标识办法》", "国家互联网信息办公室、工业和信息化部、公安部、国家广播电视总局 国信办通字〔2025〕2号", D(2025, 9, 1))
DEEP = ("《互联网信息服务深度合成管理规定》", "国家互联网信息办公室、工业和信息化部、公安部令第12号", D(2023, 1, 10))
GENAI = ("《生成式人工智能服务管理暂行办法》", "国家互联网信息办公室等七部门令第15号", D(2023, 8, 15))
ALGO = ("《互联网信息服务算法推荐管理规定》", "国家互联网信息办公室、工业和信息化部、公安部、国家市场监督管理总局令第9号", D(2022, 3, 1))
GB = ("GB 45438-2025《网络安全技术 人工智能生成合成内容标识方法》", "国家市场监督管理总局、国家标准化管理委员会 2025年2月28日发布", D(2025, 9, 1))

CITATIONS = [
    # (key, use, (law, issuer, from), article, summary, categories)
    ("administrative-penalty-law-28", "order_basis",
     ("《中华人民共和国行政处罚法》", "2021年1月22日第十三届全国人民代表大会常务委员会第二十五次会议修订", D(2021, 7, 15)),
     "第二十八条第一款", "行政机关实施行政处罚时，应当责令当事人改正或者限期改正违法行为。", []),
    ("cac-enforcement-procedure", "order_basis",
     ("《网信部门行政执法程序规定》", "国家互联网信息办公室令第14号", D(2023, 6, 1)),
     "", "网信部门行政执法的管辖、立案、调查取证、决定和送达等程序。", []),
    ("measures-4", "violated", MEASURES, "第四条", "服务提供者应当按要求对生成合成内容添加显式标识。", ["EXP"]),
    ("measures-5", "violated", MEASURES, "第五条", "服务提供者应当在生成合成内容的文件元数据中添加隐式标识。", ["IMP"]),
    ("measures-6", "violated", MEASURES, "第六条", "网络信息内容传播服务提供者应当核验隐式标识并作出显著提示。", ["PLT"]),
    ("measures-7", "violated", MEASURES, "第七条", "应用程序分发平台在上架审核时应当核验生成合成内容标识相关材料。", ["APP"]),
    ("measures-8", "violated", MEASURES, "第八条", "服务提供者应当在用户服务协议中明确说明标识的方法、样式等规范内容。", ["AGR"]),
    ("measures-9", "violated", MEASURES, "第九条", "提供无显式标识内容应当在用户协议中明确用户义务，并留存日志不少于六个月。", ["LOG"]),
    ("measures-10", "violated", MEASURES, "第十条", "任何组织和个人不得恶意删除、篡改、伪造、隐匿生成合成内容标识。", ["TMP"]),
    ("measures-11", "violated", MEASURES, "第十一条", "服务提供者开展标识活动还应当符合相关法律、行政法规、部门规章和强制性国家标准的要求。", ["EXP", "IMP"]),
    ("measures-12", "violated", MEASURES, "第十二条", "服务提供者在履行算法备案、安全评估等手续时应当提供标识相关材料。", ["FIL"]),
    ("gb45438-5", "violated", GB, "第5章", "显式标识的添加方法。", ["EXP"]),
    ("gb45438-6-1", "violated", GB, "第6.1条及附录E", "文件元数据隐式标识的添加方法和格式。", ["IMP"]),
    ("deep-synthesis-16", "violated", DEEP, "第十六条", "深度合成服务提供者应当对生成内容添加不影响使用的标识，并保存日志信息。", ["IMP", "LOG"]),
    ("deep-synthesis-17", "violated", DEEP, "第十七条", "可能导致公众混淆或者误认的深度合成内容应当进行显著标识。", ["EXP"]),
    ("deep-synthesis-18", "violated", DEEP, "第十八条", "任何组织和个人不得采用技术手段删除、篡改、隐匿深度合成标识。", ["TMP"]),
    ("genai-12", "violated", GENAI, "第十二条", "提供者应当按照《互联网信息服务深度合成管理规定》对生成内容进行标识。", ["EXP", "IMP"]),
    ("genai-17", "violated", GENAI, "第十七条", "具有舆论属性或者社会动员能力的服务应当履行备案手续。", ["FIL"]),
    ("algorithm-recommendation-24", "violated", ALGO, "第二十四条", "具有舆论属性或者社会动员能力的服务提供者应当履行算法备案手续。", ["FIL"]),
    ("deep-synthesis-22", "penalty", DEEP, "第二十二条", "违反本规定的，依照有关法律、行政法规的规定处罚；造成严重后果的，依法从重处罚。", []),
    ("genai-21", "penalty", GENAI, "第二十一条", "由有关主管部门依照有关法律、行政法规的规定予以处理；拒不改正或者情节严重的，责令暂停提供相关服务。", []),
    ("administrative-reconsideration-law-20", "remedy",
     ("《中华人民共和国行政复议法》", "2023年9月1日第十四届全国人民代表大会常务委员会第五次会议修订", D(2024, 1, 1)),
     "第二十条", "公民、法人或者其他组织认为行政行为侵犯其合法权益的，可以自知道或者应当知道该行政行为之日起六十日内提出行政复议申请。", []),
    ("administrative-litigation-law-46", "remedy",
     ("《中华人民共和国行政诉讼法》", "2017年6月27日第十二届全国人民代表大会常务委员会第二十八次会议修正", D(2017, 7, 1)),
     "第四十六条", "公民、法人或者其他组织直接向人民法院提起诉讼的，应当自知道或者应当知道作出行政行为之日起六个月内提出。", []),
]


def load(apps, schema_editor):
    LegalCitation = apps.get_model("reports", "LegalCitation")
    for key, use, (law, issuer, start), article, summary, categories in CITATIONS:
        LegalCitation.objects.get_or_create(
            key=key, version=1,
            defaults={"use": use, "law": law, "issuer": issuer, "effective_from": start,
                      "article": article, "summary": summary, "categories": categories},
        )


def unload(apps, schema_editor):
    apps.get_model("reports", "LegalCitation").objects.filter(
        version=1, key__in=[c[0] for c in CITATIONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_notices")]
    operations = [migrations.RunPython(load, unload)]
