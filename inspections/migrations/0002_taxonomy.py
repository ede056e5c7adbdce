"""
The issue taxonomy of labeling-rules.md §6.2, as data. Codes are stable: a
later migration may change titles or legal bases but never renames a code.
Default severity and period follow DOMAIN.md §6.
"""

from django.db import migrations

MEASURES = "《人工智能生成合成内容标识办法》"
GB = "GB 45438-2025《网络安全技术 人工智能生成合成内容标识方法》"
DEEP = "《互联网信息服务深度合成管理规定》"
GENAI = "《生成式人工智能服务管理暂行办法》"
ALGO = "《互联网信息服务算法推荐管理规定》"
ECO = "《网络信息内容生态治理规定》"

GP, DP, AS, TS = "generation_provider", "dissemination_platform", "app_store", "technical_supporter"
ALL_MODALITIES: list[str] = []

# category: (severity, period, unit)
DEFAULTS = {
    "CNT": ("high", 24, "hours"), "TMP": ("high", 24, "hours"),
    "IMP": ("medium", 15, "working_days"), "EXP": ("medium", 15, "working_days"),
    "PLT": ("medium", 15, "working_days"),
    "FIL": ("medium", 20, "working_days"), "APP": ("medium", 20, "working_days"),
    "LOG": ("medium", 20, "working_days"),
    "AGR": ("low", 30, "working_days"), "GOV": ("low", 30, "working_days"),
}

EXP_BASIS = f"{MEASURES}第四条；{GB}第5章；{DEEP}第十七条"
IMP_BASIS = f"{MEASURES}第五条；{GB}第6.1条、附录E；{DEEP}第十六条"
CNT_BASIS = f"{GENAI}第四条；{DEEP}第六条；{ECO}第六条"

# code, title_zh, title_en, legal basis, roles, modalities, item_level
CODES = [
    ("EXP-01", "未添加显式标识", "No explicit label", EXP_BASIS, [GP], ALL_MODALITIES, True),
    ("EXP-02", "下载、复制、导出的文件未保留显式标识",
     "No explicit label in downloaded, copied or exported files",
     f"{MEASURES}第四条第二款；{GB}第5章", [GP], ALL_MODALITIES, True),
    ("EXP-03", "文本显式标识缺少“人工智能”或“生成/合成”要素",
     "Text label lacks the “AI” or “generated/synthesised” element",
     f"{MEASURES}第四条第一款第（一）项；{GB}第5.2条", [GP], ["text"], True),
    ("EXP-04", "图片或视频中提示文字高度低于画面最短边的5%",
     "Label text in an image or video is lower than 5 % of the shortest side",
     f"{MEASURES}第四条第一款第（三）、（四）项；{GB}第5.4、5.5条", [GP], ["image", "video"], True),
    ("EXP-05", "视频起始画面未添加显式标识或显示时间不足2秒",
     "Video label missing on the opening frame or shown for less than 2 s",
     f"{MEASURES}第四条第一款第（四）项；{GB}第5.5条", [GP], ["video"], True),
    ("EXP-06", "音频既无语音提示也无“短长短短”节奏提示",
     "Audio has neither a voice prompt nor the short-long-short-short rhythm",
     f"{MEASURES}第四条第一款第（二）项；{GB}第5.3条", [GP], ["audio"], True),
    ("EXP-07", "虚拟场景起始画面或交互界面未添加显式标识",
     "No label on the virtual-scene opening view or in the chat interface",
     f"{MEASURES}第四条第一款第（五）项；{GB}第5.6条", [GP], ["virtual_scene", "text"], True),
    ("EXP-08", "显式标识不显著（对比度低、字号过小等）",
     "Explicit label not prominent (low contrast, tiny text)", EXP_BASIS, [GP], ALL_MODALITIES, True),
    ("IMP-01", "文件元数据中未添加隐式标识", "No implicit label in the file metadata",
     IMP_BASIS, [GP], ALL_MODALITIES, True),
    ("IMP-02", "隐式标识JSON无法解析或结构不符合附录E",
     "Implicit label is not parseable JSON of the Annex E structure",
     f"{MEASURES}第五条；{GB}附录E", [GP], ALL_MODALITIES, True),
    ("IMP-03", "隐式标识必填字段缺失或为空", "A required implicit-label field is missing or empty",
     f"{MEASURES}第五条；{GB}附录E", [GP], ALL_MODALITIES, True),
    ("IMP-04", "Label字段取值不是“1”“2”“3”", "Label field is not “1”, “2” or “3”",
     f"{MEASURES}第五条；{GB}附录E", [GP], ALL_MODALITIES, True),
    ("IMP-05", "隐式标识字段字符集不符合要求", "Implicit-label field violates the character set",
     f"{MEASURES}第五条；{GB}附录E", [GP], ALL_MODALITIES, True),
    ("IMP-06", "隐式标识嵌入位置不符合标准", "Implicit label in a non-standard location",
     f"{MEASURES}第五条；{GB}第6.1条；全国网安标委网络安全标准实践指南（TC260 PG-20257A至20259A、202510A）",
     [GP], ALL_MODALITIES, True),
    ("IMP-07", "存在重复或相互矛盾的隐式标识", "Duplicate or conflicting implicit labels",
     f"{MEASURES}第五条；{GB}附录E", [GP], ALL_MODALITIES, True),
    ("IMP-08", "ContentProducer不是有效的27位服务提供者编码或与企业统一社会信用代码不符",
     "ContentProducer is not a valid 27-character provider code or not the enterprise's USCC",
     f"{MEASURES}第五条；{GB}附录E；《人工智能生成合成内容标识 服务提供者编码规则》（TC260 PG-20252A）",
     [GP], ALL_MODALITIES, True),
    ("IMP-09", "ProduceID内容编号不唯一", "ProduceID is not unique",
     f"{MEASURES}第五条；{GB}附录E", [GP], ALL_MODALITIES, True),
    ("IMP-10", "隐式标识数字签名验证失败", "Implicit-label signature fails to verify",
     f"{MEASURES}第五条；{GB}附录E；《人工智能生成合成内容标识 安全防护》（TC260 PG-202511A）",
     [GP], ALL_MODALITIES, True),
    ("PLT-01", "传播平台未核验文件元数据中的隐式标识",
     "Platform does not verify implicit labels in file metadata",
     f"{MEASURES}第六条第（一）项", [DP], ALL_MODALITIES, False),
    ("PLT-02", "未在已标识、用户声明或疑似生成合成内容周边添加显著提示",
     "No notice around labeled, declared or suspected AI content",
     f"{MEASURES}第六条第（一）至（三）项", [DP], ALL_MODALITIES, True),
    ("PLT-03", "未在元数据中写入传播要素（ContentPropagator/PropagateID）",
     "No propagation elements (ContentPropagator/PropagateID) written to the metadata",
     f"{MEASURES}第六条；{GB}附录E", [DP], ALL_MODALITIES, True),
    ("PLT-04", "未提供用户声明生成合成内容的功能", "No user declaration function",
     f"{MEASURES}第六条第（四）项", [DP], ALL_MODALITIES, False),
    ("PLT-05", "传播平台删除或覆盖生成者的标识", "Platform strips or overwrites the producer's label",
     f"{MEASURES}第六条、第十条；{DEEP}第十八条", [DP], ALL_MODALITIES, True),
    ("APP-01", "应用程序分发平台上架审核未核验生成合成内容标识材料",
     "App store does not ask about AI content or check labeling materials at listing review",
     f"{MEASURES}第七条", [AS], ALL_MODALITIES, False),
    ("AGR-01", "用户协议未明确标识方法、样式等规范内容",
     "User agreement lacks the labeling methods and styles",
     f"{MEASURES}第八条", [GP, DP], ALL_MODALITIES, False),
    ("LOG-01", "未在用户协议明确责任即提供无显式标识的内容",
     "Unlabeled content supplied without an agreement clause on the user's duty",
     f"{MEASURES}第九条", [GP], ALL_MODALITIES, False),
    ("LOG-02", "未依法留存接收方日志或留存不足六个月",
     "Recipient logs missing or kept for less than six months",
     f"{MEASURES}第九条；{DEEP}第十六条", [GP], ALL_MODALITIES, False),
    ("TMP-01", "提供删除、篡改、伪造、隐匿标识的工具或服务",
     "A tool or service to remove, alter, forge or hide labels is offered",
     f"{MEASURES}第十条第二款；{DEEP}第十八条", [], ALL_MODALITIES, False),
    ("TMP-02", "通过不正当标识手段侵害他人合法权益",
     "Improper labeling harms the rights of others",
     f"{MEASURES}第十条第二款", [], ALL_MODALITIES, True),
    ("FIL-01", "未履行算法备案或生成式人工智能服务备案（登记）手续",
     "Not filed or registered (algorithm or generative-AI service)",
     f"{MEASURES}第十二条；{ALGO}第二十四条；{GENAI}第十七条", [GP, DP, TS], ALL_MODALITIES, False),
    ("FIL-02", "未在显著位置标明备案编号或上线编号",
     "Filing or launch number not displayed prominently",
     f"{ALGO}第二十六条；{DEEP}第二十条", [GP, DP, TS], ALL_MODALITIES, False),
    ("FIL-03", "算法备案、安全评估材料中缺少标识相关材料",
     "Labeling materials missing from the filing or security assessment",
     f"{MEASURES}第十二条", [GP, DP, TS], ALL_MODALITIES, False),
    ("CNT-01", "利用人工智能生成虚假新闻、伪造公文或篡改数据",
     "AI-made fake news, forged documents or tampered data", CNT_BASIS, [], ALL_MODALITIES, True),
    ("CNT-02", "利用换脸、声音克隆等侵害他人肖像权、声音权益",
     "Face-swap or voice mimicry infringing the rights of others",
     f"{DEEP}第六条、第十四条；《中华人民共和国民法典》第一千零一十九条、第一千零二十三条",
     [], ALL_MODALITIES, True),
    ("CNT-03", "利用人工智能编造、传播谣言", "AI-made or spread rumours", CNT_BASIS, [], ALL_MODALITIES, True),
    ("CNT-04", "生成传播淫秽色情、暴力恐怖等违法信息",
     "Obscene, violent or terrorist content", f"{GENAI}第四条；{DEEP}第六条；{ECO}第六条",
     [], ALL_MODALITIES, True),
    ("CNT-05", "利用人工智能仿冒他人、操纵“网络水军”",
     "Impersonation or AI-driven water armies",
     f"{DEEP}第六条；{ECO}第二十四条", [], ALL_MODALITIES, True),
    ("GOV-01", "未开展标识相关人员培训", "No staff training on labeling",
     f"{DEEP}第七条", [], ALL_MODALITIES, False),
    ("GOV-02", "未建立标识相关应急处置机制", "No emergency response mechanism",
     f"{DEEP}第七条", [], ALL_MODALITIES, False),
]


def load(apps, schema_editor):
    IssueCode = apps.get_model("inspections", "IssueCode")
    for code, title_zh, title_en, basis, roles, modalities, item_level in CODES:
        category = code.split("-")[0]
        severity, period, unit = DEFAULTS[category]
        IssueCode.objects.update_or_create(code=code, defaults={
            "category": category, "title_zh": title_zh, "title_en": title_en,
            "legal_basis": basis, "roles": roles, "modalities": modalities,
            "item_level": item_level, "default_severity": severity,
            "default_period": period, "period_unit": unit, "active": True,
        })


def unload(apps, schema_editor):
    IssueCode = apps.get_model("inspections", "IssueCode")
    IssueCode.objects.filter(code__in=[row[0] for row in CODES], findings__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
