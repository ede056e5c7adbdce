from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Administrative penalty cases (行政处罚案件): filing to closing, records, documents."""

    name = "cases"
    verbose_name = _("Administrative cases")

    def ready(self) -> None:
        from core.navigation import Section, register_section

        register_section(Section("cases", _("Cases"), "cases:case_list", order=32))
        # The public verification page knows the documents served on a party and their proofs.
        from reports.notices.selectors import register_issued_file_source

        from .selectors import issued_case_file_by_sha256

        register_issued_file_source(issued_case_file_by_sha256)
        # Demo data: a case in each state, after the rectification loop (seed_demo).
        from core.demo import register_demo_step

        register_demo_step(50, "cases", "cases.demo.seed_cases")
