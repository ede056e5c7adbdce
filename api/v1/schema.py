"""
OpenAPI pieces shared by the v1 endpoints: the error shape with an example
of each kind, the token security scheme, and an example for every response.
"""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer("Error", {
    "error": inline_serializer("ErrorDetail", {
        "code": serializers.CharField(help_text="Stable, for programs: validation_error, "
                                      "refused, illegal_transition, not_found, "
                                      "not_authenticated, token_invalid, token_expired, "
                                      "token_revoked, token_read_only, permission_denied, "
                                      "throttled, idempotency_key_reused, "
                                      "idempotency_key_in_use, …"),
        "message": serializers.CharField(help_text="For people, in the request's language."),
        "fields": serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                        help_text="Messages per input field; empty otherwise."),
    }),
})


def _error(name: str, code: str, message: str, fields: dict | None = None) -> OpenApiExample:
    return OpenApiExample(name, value={"error": {"code": code, "message": message,
                                                 "fields": fields or {}}}, response_only=True)


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input or refused by a rule.", examples=[
        _error("Validation error", "validation_error", "requested_deadline: 日期格式错误。",
               {"requested_deadline": ["日期格式错误。"]}),
        _error("Refused by a rule", "refused", "An extension request for this finding is already pending."),
    ]),
    401: OpenApiResponse(ErrorSerializer, description="No or bad credentials.", examples=[
        _error("Expired token", "token_expired", "The token has expired."),
    ]),
    403: OpenApiResponse(ErrorSerializer, description="Not allowed.", examples=[
        _error("Read-only token", "token_read_only", "This token is read only."),
    ]),
    404: OpenApiResponse(ErrorSerializer, description="Not found, or not the caller's.", examples=[
        _error("Not found", "not_found", "未找到。"),
    ]),
    409: OpenApiResponse(ErrorSerializer, description="Not possible in the object's state.", examples=[
        _error("Illegal transition", "illegal_transition", "A submitted report cannot be submitted again."),
    ]),
    429: OpenApiResponse(ErrorSerializer, description="Rate limit of the token reached.", examples=[
        _error("Throttled", "throttled", "Request was throttled. Expected available in 12 seconds."),
    ]),
    503: OpenApiResponse(ErrorSerializer, description="The database was briefly unreachable: "
                                                      "nothing was saved; retry after Retry-After.",
                         examples=[_error("Briefly unavailable", "service_unavailable",
                                          "数据库暂时无法连接。您刚才提交的内容未保存，请半分钟后重新提交。")]),
}


IN_FLIGHT_ERROR = OpenApiResponse(
    ErrorSerializer, description="Not possible in the object's state, or the Idempotency-Key's "
                                 "first attempt is still running (retry after Retry-After).",
    examples=[*ERRORS[409].examples,
              _error("Idempotency key in use", "idempotency_key_in_use",
                     "A request with this Idempotency-Key is still being processed; retry in a "
                     "moment.")])
KEY_REUSED_ERROR = OpenApiResponse(
    ErrorSerializer, description="The Idempotency-Key was used for another request.", examples=[
        _error("Idempotency key reused", "idempotency_key_reused",
               "This Idempotency-Key was used for another request; use a new key.")])


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "lw_xxxxxxxx_…",
                "description": "An API token: enterprise users create theirs in the portal "
                               "(API tokens), administrators issue staff tokens."}


ENTERPRISE = {"id": 12, "name": "北京甲智能科技有限公司"}
CAMPAIGN = {"id": 3, "name": "2026年“清朗”AI生成合成内容标识专项行动"}
FINDING = {
    "id": 845, "enterprise": ENTERPRISE, "campaign": CAMPAIGN, "inspection": None,
    "issue_code": "IMP-01", "issue_title": "未添加隐式标识", "severity": "high",
    "status": "notified", "status_label": "已通知",
    "description": "抽检的图片文件未在文件元数据中添加隐式标识。",
    "legal_basis": "《人工智能生成合成内容标识办法》第五条", "deadline": "2026-12-17",
    "deadline_at": None, "deadline_estimated": False, "working_days_left": 10,
    "is_repeat": False, "notified_at": "2026-12-01T10:12:00+08:00", "closed_at": None,
    "created_at": "2026-11-28T15:40:02+08:00",
}
NOTICE = {
    "id": 41, "number": "京网信整改〔2026〕17号", "status": "issued", "status_label": "已签发",
    "enterprise": ENTERPRISE, "campaign": CAMPAIGN, "findings": [845, 846],
    "party_name": "北京甲智能科技有限公司", "party_uscc": "91110108MA01ABCD1X",
    "agency": "北京市互联网信息办公室", "issue_date": "2026-12-01",
    "issued_at": "2026-12-01T10:12:00+08:00", "deadline": "2026-12-17", "deadline_at": None,
    "verification_code": "K7Q2M9X4", "pdf_sha256": "9f2c…e1", "pdf_size": 183204,
    "pdf_available": True, "proof_available": True, "served_at": None, "service_method": "",
    "created_at": "2026-11-30T09:00:00+08:00",
}

EXAMPLES: dict[str, Any] = {
    "finding_list": FINDING,
    "finding": FINDING,
    "notice_list": NOTICE,
    "notice": NOTICE,
    "notice_acknowledged": {**NOTICE, "status": "served", "status_label": "已送达（已确认）",
                            "served_at": "2026-12-02T09:30:11+08:00",
                            "service_method": "electronic"},
}
EVIDENCE = {"id": 77, "name": "整改截图.png", "content_type": "image/png", "size": 48213,
            "sha256": "3b1f0c9d…", "uploaded_at": "2026-12-03T14:05:09+08:00"}
RESPONSE = {"id": 301, "finding": 845, "issue_code": "IMP-01",
            "measures": "已在图片生成服务中写入XMP隐式标识，并对存量内容补充标识。",
            "long_term_measures": "发布前自动校验标识。", "completed_on": "2026-12-02",
            "decision": "pending", "decision_label": "待审核", "reviewer_comment": "",
            "decided_at": None, "evidence": [EVIDENCE]}
REPORT = {"id": 58, "enterprise": ENTERPRISE, "version": 1, "previous": None, "status": "draft",
          "status_label": "草稿", "responsible_person": "张三", "contact_person": "李四",
          "contact_phone": "010-88886666", "summary": "已完成全部整改。", "declaration": True,
          "created_at": "2026-12-03T14:00:00+08:00", "submitted_at": None, "reviewed_at": None,
          "responses": [RESPONSE]}
EXTENSION = {"id": 9, "finding": 845, "enterprise": ENTERPRISE, "reason": "需改造存量内容，申请延期。",
             "requested_deadline": "2026-12-31", "previous_deadline": "2026-12-17",
             "status": "pending", "status_label": "待审批", "decision_note": "", "decided_at": None,
             "created_at": "2026-12-03T14:10:00+08:00"}
NOTIFICATION = {"id": 501, "kind": "notice_issued", "subject": "整改通知书已签发",
                "body": "京网信整改〔2026〕17号已签发，请在期限内整改。", "url": "/portal/",
                "created_at": "2026-12-01T10:12:03+08:00", "read_at": None}
EXAMPLES.update({
    "report_list": {key: REPORT[key] for key in ("id", "enterprise", "version", "previous", "status",
                                                 "status_label", "created_at", "submitted_at",
                                                 "reviewed_at")} | {"responses": 1},
    "report": REPORT,
    "report_create": {**REPORT, "responsible_person": "", "summary": "", "declaration": False,
                      "responses": [{**RESPONSE, "measures": "", "long_term_measures": "",
                                     "completed_on": None, "evidence": []}]},
    "report_update": REPORT,
    "response_update": REPORT,
    "evidence": EVIDENCE,
    "report_submitted": {**REPORT, "status": "submitted", "status_label": "已提交",
                         "submitted_at": "2026-12-03T14:20:00+08:00"},
    "extension_list": EXTENSION,
    "extension": EXTENSION,
    "extension_create": EXTENSION,
    "extension_withdrawn": {**EXTENSION, "status": "withdrawn", "status_label": "已撤回"},
    "notification_list": NOTIFICATION,
    "notification_read": {**NOTIFICATION, "read_at": "2026-12-01T11:00:00+08:00"},
    "notifications_read_all": {"marked": 3},
})
ENTERPRISE_ROW = {"id": 12, "uscc": "91110108MA01ABCD1X", "name": "北京甲智能科技有限公司",
                  "district": "110108", "address": "北京市海淀区中关村大街1号",
                  "legal_representative": "王五", "roles": ["generation_provider"],
                  "risk_tier": "high", "risk_score": 82, "status": "active",
                  "created_at": "2026-03-01T09:00:00+08:00"}
SERVICE = {"id": 30, "name": "星河AI助手", "kind": "app", "url": "https://example.cn/app",
           "modalities": ["text", "image"], "monthly_aigc_volume": 50000}
CAMPAIGN_ROW = {"id": 3, "code": "QL2026-AIAPP", "name": CAMPAIGN["name"],
                "agency": "北京市互联网信息办公室", "status": "active", "starts_on": "2026-04-01",
                "ends_on": "2026-12-31", "sampling_rule": "gb2828", "aql": "1.000",
                "detection_rate": None, "detection_confidence": None,
                "created_at": "2026-03-20T10:00:00+08:00"}
PLAN = {"id": 5, "campaign": CAMPAIGN, "name": "第一批双随机抽查", "status": "approved",
        "high_risk_mode": "all", "high_risk_k": 0, "random_n": 20, "verification_n": 5,
        "officers_per_inspection": 2, "seed": 730215948812, "method": "remote",
        "first_date": "2026-05-06", "last_date": "2026-06-30",
        "drawn_at": "2026-04-28T15:00:00+08:00", "approved_at": "2026-04-29T09:30:00+08:00",
        "created_at": "2026-04-28T14:00:00+08:00"}
INSPECTION = {"id": 211, "campaign": CAMPAIGN, "enterprise": ENTERPRISE, "status": "in_progress",
              "method": "remote", "planned_date": "2026-11-20", "follow_up_of": None,
              "officers": [4, 7], "started_at": "2026-11-20T09:12:00+08:00", "completed_at": None,
              "closed_at": None, "created_at": "2026-04-29T09:30:00+08:00"}
ITEM = {"id": 3307, "inspection": 211, "service": 30, "modality": "image",
        "content_ref": "https://example.cn/share/8f2a", "channel": "app",
        "captured_at": "2026-11-20T09:40:00+08:00", "text_sample": "",
        "file_name": "sample.png", "file_sha256": "5e884898…", "file_size": 20480,
        "file_type": "png", "label_verdict": "noncompliant",
        "label_result": {"verdict": "noncompliant", "findings": [
            {"rule": "IMP-04", "message": "png:tEXt:AIGC: Label is \"AIGC\""}]},
        "checker_version": "1.6.0", "label_checked_at": "2026-11-20T09:40:02+08:00",
        "explicit_status": "found",
        "explicit_result": {
            "status": "found", "modality": "image", "reason": None, "elapsed_ms": 412.5,
            "marks": [{"kind": "text", "text": "AI生成", "where": "bottom-right",
                       "height_ratio": 0.0361, "contrast": 8.12, "start_s": None, "end_s": None,
                       "box": [1180, 672, 1262, 698], "conforming": True}],
            "findings": [{"rule": "EXP-04", "message": "The label \"AI生成\" (bottom-right) is "
                          "3.6 % of the image's shortest side (26 of 720 px), under 5 %"}],
            "evidence": [{"name": "crop-1.png", "media_type": "image/png",
                          "caption": "label \"AI生成\" at bottom-right"}],
            "details": {"width": 1280, "height": 720}},
        "explicit_checker_version": "1.0.0",
        "explicit_checked_at": "2026-11-20T09:40:03+08:00",
        "explicit_evidence": [{"id": 58, "name": "crop-1.png", "media_type": "image/png",
                               "caption": "label \"AI生成\" at bottom-right",
                               "sha256": "0c4e1b77…"}],
        "checks_completed_at": None, "note": "",
        "checks": [{"issue_code": "IMP-04", "result": "fail", "source": "automatic", "note": "",
                    "checked_at": "2026-11-20T09:40:02+08:00"}]}
AUDIT = {"id": 90411, "created_at": "2026-12-03T14:20:00+08:00", "actor": "alice",
         "action": "report.submitted", "object_type": "rectification.rectificationreport",
         "object_id": "58", "object_repr": "整改报告 v1", "enterprise_id": 12,
         "ip_address": "203.0.113.7", "before": {"status": "draft"},
         "after": {"status": "submitted"}, "note": ""}
LABEL_CHECK: dict[str, Any] = {"path": "a.png", "format": "png", "verdict": "noncompliant",
               "label": {"Label": "AIGC", "ContentProducer": "001191110102MAD55U9H0F10002",
                         "ProduceID": "a1"},
               "sites": [{"location": "png:tEXt:AIGC", "raw": "{\"AIGC\":{…}}"}],
               "findings": [{"rule": "IMP-04", "message": "png:tEXt:AIGC: Label is \"AIGC\", "
                             "expected the string \"1\", \"2\" or \"3\""}],
               "elapsed_ms": 0.41}
LABEL_CHECK_EXPLICIT = {
    **{key: value for key, value in LABEL_CHECK.items() if key != "elapsed_ms"},
    "findings": [*LABEL_CHECK["findings"],
                 {"rule": "EXP-04", "message": "The label \"AI生成\" (bottom-right) is 3.6 % of the "
                  "image's shortest side (26 of 720 px), under 5 %"}],
    "explicit": {"status": "found", "modality": "image",
                 "marks": [{"kind": "text", "text": "AI生成", "where": "bottom-right",
                            "height_ratio": 0.0361, "contrast": 8.12, "start_s": None,
                            "end_s": None}],
                 "reason": None, "elapsed_ms": 412.5},
    "elapsed_ms": 413.1,
}
EXAMPLES.update({
    "enterprise_list": ENTERPRISE_ROW,
    "enterprise": {**ENTERPRISE_ROW, "services": [SERVICE]},
    "campaign_list": CAMPAIGN_ROW,
    "campaign": CAMPAIGN_ROW,
    "plan_list": PLAN,
    "plan": {**PLAN, "entries": [{"position": 1, "enterprise": ENTERPRISE, "stratum": "high",
                                  "planned_date": "2026-05-06", "officers": [4, 7],
                                  "inspection": 211}]},
    "inspection_list": INSPECTION,
    "inspection": INSPECTION,
    "item_list": ITEM,
    "item": ITEM,
    "audit_list": AUDIT,
    "label_check": LABEL_CHECK,
    "analytics_index": [{"slug": "violations", "title": "违规率",
                         "description": "抽检内容中未通过检查的比例，含95%置信区间。"}],
    "analytics_series": {"slug": "violations", "title": "违规率",
                         "columns": ["月份", "抽检数", "违规数", "违规率"],
                         "rows": [{"月份": "2026-10", "抽检数": 420, "违规数": 37, "违规率": 0.088}],
                         "notes": []},
})
REQUESTS: dict[str, dict] = {
    "item": {"service": 30, "modality": "image", "content_ref": "https://example.cn/share/8f2a",
             "channel": "app", "captured_at": "2026-11-20T09:40:00+08:00", "file": "(binary)"},
    "report_create": {"findings": [845, 846]},
    "report_update": {"responsible_person": "张三", "summary": "已完成全部整改。", "declaration": True},
    "response_update": {"measures": "已在图片生成服务中写入XMP隐式标识，并对存量内容补充标识。",
                        "long_term_measures": "发布前自动校验标识。", "completed_on": "2026-12-02"},
    "extension_create": {"requested_deadline": "2026-12-31", "reason": "需改造存量内容，申请延期。"},
}


REQUESTS["label_check"] = {"file": "(binary)", "uscc": "91110108MA01ABCD1X"}
REQUESTS["label_check_explicit"] = {"file": "(binary)", "explicit": True, "modality": "image"}
EXAMPLES["label_check_explicit"] = LABEL_CHECK_EXPLICIT


def examples(name: str) -> list[OpenApiExample]:
    """The response example `name` (and its request example, if any)."""
    found = [OpenApiExample(name, value=EXAMPLES[name], response_only=True)]
    if name in REQUESTS:
        found.append(OpenApiExample(name + " (request)", value=REQUESTS[name], request_only=True))
    return found


def only_v1(endpoints):
    """Preprocessing hook: the schema documents API v1 only (not the old /api/)."""
    return [e for e in endpoints if e[0].startswith("/api/v1/")]
