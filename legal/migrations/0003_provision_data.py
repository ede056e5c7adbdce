"""
The provisions the issue codes rest on, as data, with binding force and
dates (labeling-rules.md §1, §2, §6.4; notice-sample.md).

number_verified is True only where the number was read in a primary text
or agreed by independent sources (the Measures, article by article; GB
45438 clauses 5.1 text, 5.2 image, 5.3 audio, 5.4 video, 6.1 and Annex E;
深度合成规定 Arts. 16-18). Every other provision is cited by its topic
("…关于…的规定") until an administrator checks the number against the
official text and ticks it.
"""

import datetime

from django.db import migrations

D = datetime.date

DOCUMENTS = [
    # key, title, number, issuer, force, from
    ("measures", "《人工智能生成合成内容标识办法》", "国信办通字〔2025〕2号",
     "国家互联网信息办公室、工业和信息化部、公安部、国家广播电视总局", "normative", D(2025, 9, 1)),
    ("gb45438", "《网络安全技术 人工智能生成合成内容标识方法》", "GB 45438-2025",
     "国家市场监督管理总局、国家标准化管理委员会", "mandatory_standard", D(2025, 9, 1)),
    ("deep-synthesis", "《互联网信息服务深度合成管理规定》", "国家互联网信息办公室、工业和信息化部、公安部令第12号",
     "国家互联网信息办公室、工业和信息化部、公安部", "rule", D(2023, 1, 10)),
    ("genai", "《生成式人工智能服务管理暂行办法》", "国家互联网信息办公室等七部门令第15号",
     "国家互联网信息办公室等七部门", "rule", D(2023, 8, 15)),
    ("algorithm", "《互联网信息服务算法推荐管理规定》", "国家互联网信息办公室等四部门令第9号",
     "国家互联网信息办公室、工业和信息化部、公安部、国家市场监督管理总局", "rule", D(2022, 3, 1)),
    ("ecology", "《网络信息内容生态治理规定》", "国家互联网信息办公室令第5号",
     "国家互联网信息办公室", "rule", D(2020, 3, 1)),
    ("civil-code", "《中华人民共和国民法典》", "", "全国人民代表大会", "law", D(2021, 1, 1)),
    ("tc260-pg-20252a", "《网络安全标准实践指南——人工智能生成合成内容标识 服务提供者编码规则》",
     "TC260-PG-20252A", "全国网络安全标准化技术委员会", "guide", D(2025, 3, 14)),
    ("tc260-pg-202511a", "《网络安全标准实践指南——人工智能生成合成内容标识 安全防护》",
     "TC260-PG-202511A", "全国网络安全标准化技术委员会", "guide", D(2025, 8, 28)),
    ("tc260-pg-20257a", "《网络安全标准实践指南——人工智能生成合成内容标识 视频》",
     "TC260-PG-20257A", "全国网络安全标准化技术委员会", "guide", D(2025, 8, 28)),
    ("tc260-pg-20258a", "《网络安全标准实践指南——人工智能生成合成内容标识 文本及文档》",
     "TC260-PG-20258A", "全国网络安全标准化技术委员会", "guide", D(2025, 8, 28)),
    ("tc260-pg-20259a", "《网络安全标准实践指南——人工智能生成合成内容标识 图片》",
     "TC260-PG-20259A", "全国网络安全标准化技术委员会", "guide", D(2025, 8, 28)),
    ("tc260-pg-202510a", "《网络安全标准实践指南——人工智能生成合成内容标识 音频》",
     "TC260-PG-202510A", "全国网络安全标准化技术委员会", "guide", D(2025, 8, 28)),
]

# key, document, article, paragraph, item, clause, topic, verified
PROVISIONS = [
    ("measures-4", "measures", 4, None, None, "", "显式标识", True),
    ("measures-4-1", "measures", 4, 1, None, "", "对生成合成内容添加显式标识", True),
    ("measures-4-1-1", "measures", 4, 1, 1, "", "文本显式标识", True),
    ("measures-4-1-2", "measures", 4, 1, 2, "", "音频显式标识", True),
    ("measures-4-1-3", "measures", 4, 1, 3, "", "图片显式标识", True),
    ("measures-4-1-4", "measures", 4, 1, 4, "", "视频显式标识", True),
    ("measures-4-1-5", "measures", 4, 1, 5, "", "虚拟场景显式标识", True),
    ("measures-4-2", "measures", 4, 2, None, "", "下载、复制、导出的文件含有显式标识", True),
    ("measures-5-1", "measures", 5, 1, None, "", "在文件元数据中添加隐式标识", True),
    ("measures-6-1-1", "measures", 6, 1, 1, "", "核验隐式标识并提示生成合成内容", True),
    ("measures-6-1-2", "measures", 6, 1, 2, "", "用户声明的生成合成内容的提示", True),
    ("measures-6-1-3", "measures", 6, 1, 3, "", "疑似生成合成内容的提示", True),
    ("measures-6-1-4", "measures", 6, 1, 4, "", "提供标识功能并提醒用户声明", True),
    ("measures-6-2", "measures", 6, 2, None, "", "在文件元数据中添加传播要素信息", True),
    ("measures-7", "measures", 7, None, None, "", "应用程序分发平台核验标识材料", True),
    ("measures-8", "measures", 8, None, None, "", "用户服务协议说明标识方法、样式", True),
    ("measures-9", "measures", 9, None, None, "", "提供无显式标识内容及留存日志", True),
    ("measures-10-2", "measures", 10, 2, None, "", "不得恶意删除、篡改、伪造、隐匿标识", True),
    ("measures-12", "measures", 12, None, None, "", "备案、安全评估时提供标识相关材料", True),
    ("gb45438-5", "gb45438", None, None, None, "第5章", "显式标识", True),
    ("gb45438-5-1", "gb45438", None, None, None, "5.1", "文本显式标识", True),
    ("gb45438-5-2", "gb45438", None, None, None, "5.2", "图片显式标识", True),
    ("gb45438-5-3", "gb45438", None, None, None, "5.3", "音频显式标识", True),
    ("gb45438-5-4", "gb45438", None, None, None, "5.4", "视频显式标识", True),
    # Clause numbers after 5.4 were not read at source: cited by topic.
    ("gb45438-virtual-scene", "gb45438", None, None, None, "", "虚拟场景显式标识", False),
    ("gb45438-interaction", "gb45438", None, None, None, "", "交互场景界面显式标识", False),
    ("gb45438-6-1", "gb45438", None, None, None, "6.1", "文件元数据隐式标识", True),
    ("gb45438-annex-e", "gb45438", None, None, None, "附录E", "文件元数据隐式标识格式", True),
    ("deep-synthesis-16", "deep-synthesis", 16, None, None, "", "添加标识并保存日志信息", True),
    ("deep-synthesis-17", "deep-synthesis", 17, None, None, "", "显著标识", True),
    ("deep-synthesis-18", "deep-synthesis", 18, None, None, "", "不得删除、篡改、隐匿深度合成标识", True),
    ("deep-synthesis-6", "deep-synthesis", 6, None, None, "", "不得利用深度合成服务制作、复制、发布、传播违法信息", False),
    ("deep-synthesis-7", "deep-synthesis", 7, None, None, "", "建立健全管理制度", False),
    ("deep-synthesis-14", "deep-synthesis", 14, None, None, "", "编辑人脸、人声等生物识别信息取得单独同意", False),
    ("deep-synthesis-20", "deep-synthesis", 20, None, None, "", "标明备案编号", False),
    ("genai-4", "genai", 4, None, None, "", "提供和使用生成式人工智能服务应当遵守的要求", False),
    ("genai-17", "genai", 17, None, None, "", "安全评估和备案", False),
    ("algorithm-24", "algorithm", 24, None, None, "", "算法备案", False),
    ("algorithm-26", "algorithm", 26, None, None, "", "标明备案编号", False),
    ("ecology-6", "ecology", 6, None, None, "", "不得制作、复制、发布违法信息", False),
    ("ecology-24", "ecology", 24, None, None, "", "不得实施流量造假、操纵用户账号等行为", False),
    ("civil-code-1019", "civil-code", 1019, None, None, "", "肖像权保护", False),
    ("civil-code-1023", "civil-code", 1023, None, None, "", "声音保护", False),
    ("tc260-pg-20252a", "tc260-pg-20252a", None, None, None, "", "服务提供者编码规则", True),
    ("tc260-pg-202511a", "tc260-pg-202511a", None, None, None, "", "隐式标识安全防护", True),
    ("tc260-pg-20257a", "tc260-pg-20257a", None, None, None, "", "视频隐式标识嵌入位置", True),
    ("tc260-pg-20258a", "tc260-pg-20258a", None, None, None, "", "文本及文档隐式标识嵌入位置", True),
    ("tc260-pg-20259a", "tc260-pg-20259a", None, None, None, "", "图片隐式标识嵌入位置", True),
    ("tc260-pg-202510a", "tc260-pg-202510a", None, None, None, "", "音频隐式标识嵌入位置", True),
]

# The guides are cited whole (no article to verify).
GUIDES_PLACES = ["tc260-pg-20257a", "tc260-pg-20258a", "tc260-pg-20259a", "tc260-pg-202510a"]
V, R = "violated", "reference"

BASES = {
    "EXP-01": [(V, "measures-4-1"), (V, "gb45438-5"), (V, "deep-synthesis-17")],
    "EXP-02": [(V, "measures-4-2"), (V, "gb45438-5")],
    "EXP-03": [(V, "measures-4-1-1"), (V, "gb45438-5-1")],
    "EXP-04": [(V, "measures-4-1-3"), (V, "measures-4-1-4"), (V, "gb45438-5-2"), (V, "gb45438-5-4")],
    "EXP-05": [(V, "measures-4-1-4"), (V, "gb45438-5-4")],
    "EXP-06": [(V, "measures-4-1-2"), (V, "gb45438-5-3")],
    "EXP-07": [(V, "measures-4-1-5"), (V, "gb45438-virtual-scene"), (V, "gb45438-interaction")],
    "EXP-08": [(V, "measures-4-1"), (V, "gb45438-5"), (V, "deep-synthesis-17")],
    "IMP-01": [(V, "measures-5-1"), (V, "gb45438-6-1"), (V, "gb45438-annex-e"), (V, "deep-synthesis-16")],
    "IMP-02": [(V, "measures-5-1"), (V, "gb45438-annex-e")],
    "IMP-03": [(V, "measures-5-1"), (V, "gb45438-annex-e")],
    "IMP-04": [(V, "measures-5-1"), (V, "gb45438-annex-e")],
    "IMP-05": [(V, "measures-5-1"), (V, "gb45438-annex-e")],
    "IMP-06": [(V, "measures-5-1"), (V, "gb45438-6-1")] + [(R, key) for key in GUIDES_PLACES],
    "IMP-07": [(V, "measures-5-1"), (V, "gb45438-6-1"), (V, "gb45438-annex-e")],
    "IMP-08": [(V, "measures-5-1"), (V, "gb45438-annex-e"), (R, "tc260-pg-20252a")],
    "IMP-09": [(V, "measures-5-1"), (V, "gb45438-annex-e")],
    # The signature field is optional in Annex E: only the guide asks for it.
    "IMP-10": [(R, "tc260-pg-202511a")],
    "PLT-01": [(V, "measures-6-1-1")],
    "PLT-02": [(V, "measures-6-1-1"), (V, "measures-6-1-2"), (V, "measures-6-1-3")],
    "PLT-03": [(V, "measures-6-2"), (V, "gb45438-annex-e")],
    "PLT-04": [(V, "measures-6-1-4")],
    "PLT-05": [(V, "measures-10-2"), (V, "deep-synthesis-18")],
    "APP-01": [(V, "measures-7")],
    "AGR-01": [(V, "measures-8")],
    "LOG-01": [(V, "measures-9")],
    "LOG-02": [(V, "measures-9"), (V, "deep-synthesis-16")],
    "TMP-01": [(V, "measures-10-2"), (V, "deep-synthesis-18")],
    "TMP-02": [(V, "measures-10-2")],
    # The Measures create no filing duty (Art. 12 is about materials in a filing).
    "FIL-01": [(V, "algorithm-24"), (V, "genai-17")],
    "FIL-02": [(V, "algorithm-26"), (V, "deep-synthesis-20")],
    "FIL-03": [(V, "measures-12")],
    "CNT-01": [(V, "genai-4"), (V, "deep-synthesis-6"), (V, "ecology-6")],
    "CNT-02": [(V, "deep-synthesis-6"), (V, "deep-synthesis-14"), (V, "civil-code-1019"), (V, "civil-code-1023")],
    "CNT-03": [(V, "genai-4"), (V, "deep-synthesis-6"), (V, "ecology-6")],
    "CNT-04": [(V, "genai-4"), (V, "deep-synthesis-6"), (V, "ecology-6")],
    "CNT-05": [(V, "deep-synthesis-6"), (V, "ecology-24")],
    "GOV-01": [(V, "deep-synthesis-7")],
    "GOV-02": [(V, "deep-synthesis-7")],
}


def load(apps, schema_editor):
    LegalDocument = apps.get_model("legal", "LegalDocument")
    Provision = apps.get_model("legal", "Provision")
    CodeBasis = apps.get_model("legal", "CodeBasis")
    documents = {}
    for key, title, number, issuer, force, start in DOCUMENTS:
        documents[key], _created = LegalDocument.objects.get_or_create(key=key, defaults={
            "title": title, "number": number, "issuer": issuer, "force": force, "effective_from": start})
    provisions = {}
    for key, document, article, paragraph, item, clause, topic, verified in PROVISIONS:
        provisions[key], _created = Provision.objects.get_or_create(key=key, defaults={
            "document": documents[document], "article": article, "paragraph": paragraph, "item": item,
            "clause": clause, "topic": topic, "number_verified": verified})
    for code, rows in BASES.items():
        for position, (role, key) in enumerate(rows):
            CodeBasis.objects.get_or_create(code=code, provision=provisions[key],
                                            defaults={"role": role, "position": position})


def unload(apps, schema_editor):
    apps.get_model("legal", "CodeBasis").objects.filter(code__in=list(BASES)).delete()
    apps.get_model("legal", "Provision").objects.filter(key__in=[p[0] for p in PROVISIONS]).delete()
    apps.get_model("legal", "LegalDocument").objects.filter(key__in=[d[0] for d in DOCUMENTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("legal", "0002_provisions")]
    operations = [migrations.RunPython(load, unload)]
