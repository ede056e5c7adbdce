"""Wording helpers of the documents."""

from reports.texts import join_provisions

MEASURES = "《人工智能生成合成内容标识办法》"
GB = "GB 45438-2025《网络安全技术 人工智能生成合成内容标识方法》"


def test_provisions_are_cited_once_and_grouped_by_law_in_order_of_first_mention():
    joined = join_provisions([
        f"{MEASURES}第五条；{GB}第6.1条、附录E；《互联网信息服务深度合成管理规定》第十六条",
        f"{GB}第6.1条及附录E",  # the same provisions, worded differently
        f"{MEASURES}第十一条",
        "《互联网信息服务深度合成管理规定》第十六条",
    ])
    assert joined == (f"{MEASURES}第五条、第十一条，{GB}第6.1条、附录E，"
                      "《互联网信息服务深度合成管理规定》第十六条")


def test_text_that_is_not_a_citation_is_kept_and_blank_lines_dropped():
    assert join_provisions(["本市有关规定；", "", f"{MEASURES}第五条。"]) == f"本市有关规定，{MEASURES}第五条"


def test_provisions_are_in_number_order_and_a_whole_article_covers_its_parts():
    joined = join_provisions([
        f"{MEASURES}第四条第一款第（四）项、第五条、第十一条",
        f"{MEASURES}第四条",
        f"{GB}附录E、第6.1条",
        f"{GB}第5.2条、第5章",
    ])
    assert joined == f"{MEASURES}第四条、第五条、第十一条，{GB}第5章、第5.2条、第6.1条、附录E"


def test_article_numbers_in_chinese_are_read_as_numbers():
    from reports.texts import cn_to_int

    assert [cn_to_int(t) for t in ("四", "十", "十一", "二十", "二十三", "一百零五")] == [4, 10, 11, 20, 23, 105]
