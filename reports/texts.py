"""
Wording of the documents that is not law: Chinese dates and numerals, the
default rectification measures per issue category, and the bulletin's
"what compliance looks like" per category. Prefilled text only; every
notice and bulletin stays editable before it is issued.
"""

import datetime
import re

DIGITS = "零一二三四五六七八九"


def cn_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (enumerations up to 99)."""
    if n < 10:
        return DIGITS[n]
    tens, units = divmod(n, 10)
    return f"{'' if tens == 1 else DIGITS[tens]}十{DIGITS[units] if units else ''}"


def cn_date(day: datetime.date) -> str:
    """Dates in documents use Arabic numerals without leading zeros: 2026年5月9日."""
    return f"{day.year}年{day.month}月{day.day}日"


def agency_marks(agency, issue_date: datetime.date | None) -> dict:
    """
    The 版记 (GB/T 9704-2012 7.4: 抄送, 印发机关和印发日期) and the seal of a
    document, from the agency's data (legal.Agency, or None: no marks).
    """
    copy_to = "，".join(part.strip() for part in re.split(r"[，,、]", agency.copy_to) if part.strip()) \
        if agency else ""
    return {
        "cc": copy_to,
        "printed_by": (agency.printed_by.strip() or agency.name) if agency else "",
        "printed_date_text": cn_date(issue_date) if issue_date else "　　年　　月　　日",
        "seal": f"file://{agency.seal_image.path}" if agency and agency.seal_image else "",
    }


def cn_datetime(moment: datetime.datetime, minutes: bool = False) -> str:
    text = f"{cn_date(moment.date())}{moment.hour}时"
    return f"{text}{moment.minute:02d}分" if minutes else text


MEASURE_TEXT = {
    "EXP": "在生成合成的文本、音频、图片、视频、虚拟场景中按照GB 45438-2025第5章的要求添加显式标识，"
           "并确保用户下载、复制、导出的文件保留显式标识；",
    "IMP": "对生成合成内容的文件按照GB 45438-2025第6.1条及附录E的要求在文件元数据中添加隐式标识，"
           "包含生成合成内容属性、服务提供者名称或编码、内容编号等制作要素；",
    "PLT": "建立传播内容隐式标识核验机制，对生成合成内容、疑似生成合成内容在发布内容周边添加显著提示，"
           "在文件元数据中添加传播要素，并向用户提供声明功能；",
    "APP": "在应用程序上架审核时要求服务提供者说明是否提供人工智能生成合成服务，并核验其生成合成内容标识相关材料；",
    "AGR": "在用户服务协议中明确说明生成合成内容标识的方法、样式等规范内容，并提示用户仔细阅读并理解；",
    "LOG": "规范无显式标识内容的提供程序，在用户协议中明确用户的标识义务和使用责任，并依法留存相关日志不少于六个月；",
    "TMP": "立即停止提供删除、篡改、伪造、隐匿生成合成内容标识的工具或服务，并清理相关内容；",
    "FIL": "依法履行算法备案、生成式人工智能服务备案或登记手续，显著公示上线编号，并在备案材料中补充标识相关材料；",
    "CNT": "立即清理违法违规生成合成内容，处置相关账号，并建立健全内容审核和应急处置机制；",
    "GOV": "建立健全标识相关的人员培训、应急处置等管理制度并落实到位；",
    "default": "对照相关规定逐项改正所涉问题；",
    "self_check": "全面自查同类问题，建立标识上线前校验机制，防止问题再次发生。",
}

COMPLIANCE_GUIDANCE = {
    "EXP": "合规做法：文本在开头、末尾或中间位置添加含“人工智能”或“AI”及“生成”或“合成”要素的提示；"
           "图片、视频的提示文字高度不低于画面最短边的5%，视频在起始画面显示不少于2秒；"
           "音频在起始、末尾或中间位置添加语音提示或“短长短短”节奏提示；下载、导出的文件保留显式标识。",
    "IMP": "合规做法：在文件元数据中按GB 45438-2025附录E写入AIGC字段（Label、ContentProducer、ProduceID等），"
           "字段完整、格式正确，ContentProducer使用本企业服务提供者编码。",
    "PLT": "合规做法：发布前读取文件元数据中的隐式标识，对已标识、用户声明和疑似生成合成内容分别作出显著提示，"
           "写入ContentPropagator、PropagateID等传播要素，并向用户提供生成合成内容声明功能。",
    "APP": "合规做法：上架审核时询问应用是否提供生成合成服务，并核验其标识相关材料。",
    "AGR": "合规做法：用户协议专门说明显式、隐式标识的方法和样式，并以显著方式提示用户阅读。",
    "LOG": "合规做法：仅在用户协议明确标识义务后提供无显式标识内容，并留存提供对象等日志不少于六个月。",
    "TMP": "合规做法：不提供、不传播任何删除、篡改、伪造、隐匿标识的工具、教程或服务。",
    "FIL": "合规做法：依法完成备案或登记，在显著位置公示上线编号，备案材料中包含标识实现说明。",
    "CNT": "合规做法：建立生成合成内容审核机制，及时发现和处置虚假信息、侵权仿冒、谣言及违法有害内容。",
    "GOV": "合规做法：定期开展标识合规培训，制定并演练应急处置预案。",
    "default": "合规做法：对照相关规定逐项落实。",
}


def text_lines(text: str) -> list[str]:
    """The non-empty lines of a text field, stripped: one paragraph each."""
    return [line.strip() for line in text.splitlines() if line.strip()]
