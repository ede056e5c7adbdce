"""
Chinese citation text of provisions: 第四条第一款第（一）项, GB 45438-2025
《…》第5.1条, and many provisions of one document joined as documents cite
them. Plain Python.
"""

DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 105 → 一百零五, 1019 → 一千零一十九 (article numbers)."""
    if n <= 0:
        return "零"
    if n < 20:
        return ("十" + (DIGITS[n - 10] if n > 10 else "")) if n >= 10 else DIGITS[n]
    parts: list[str] = []
    zero = False
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


def locator(provision) -> str:
    """Where in its document a provision is, or its topic when the number is unverified."""
    if not provision.number_verified:
        return f"关于{provision.topic}的规定"
    if provision.clause:
        clause = provision.clause
        if clause.startswith(("第", "附录")):
            return clause
        return f"第{clause}条"
    # A whole document (a guide) has no article: it is cited by its title alone.
    text = f"第{cn_number(provision.article)}条" if provision.article else ""
    if provision.paragraph:
        text += f"第{cn_number(provision.paragraph)}款"
    if provision.item:
        text += f"第（{cn_number(provision.item)}）项"
    return text


def join_citations(provisions, separator: str = "，") -> str:
    """
    《X》第四条第一款第（一）项、第五条第一款，GB 45438-2025《Y》第5.1条: grouped by
    document in order of first mention, each provision once.
    """
    by_document: dict[int, tuple[str, list[str]]] = {}
    for provision in provisions:
        name, locators = by_document.setdefault(provision.document_id, (provision.document.cited_name, []))
        if provision.locator not in locators:
            locators.append(provision.locator)
    return separator.join(name + "、".join(locators) for name, locators in by_document.values())
