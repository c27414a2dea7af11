"""Writers and readers of what leaves the toolkit and what comes back: reports, workbooks, packs, templates.

Every writer takes plain inputs and returns bytes, so the CLI, the app and the service layer call the
same functions. Entry points (imported from their modules, so that importing one writer does not load
them all, and `reports.zip_guard` stays light for other readers of uploads):

- `reports.context`: `ReportContext`, `TeamMember`, `ItemNotes`, `EvidenceFile`, `notes_by_school`
- `reports.inspection_docx.inspection_report_docx`, `reports.school_xlsx.school_report_xlsx`,
  `reports.self_docx.self_report_docx`, `reports.feedback_docx.feedback_docx`
- `reports.pack.inspection_pack`, `reports.evidence_index.evidence_index_xlsx`,
  `reports.action_plan.action_plan_xlsx`, `reports.batch.reports_zip`
- `reports.district_xlsx.district_workbook` with `reports.district_frames` (`TargetRow`, `agreement_tables`)
- `reports.template_export.write_template`, `reports.template_import.read_template`,
  `reports.template_layout.TemplateIdentity`, `reports.zip_guard.Limits`
"""
