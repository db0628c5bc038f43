"""The kit's other Excel papers: training and sign-in, monthly service data, review inputs, dossier, price lists, CAPA."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ..facts import ServiceFacts
from ..profile import Profile
from ..standards import Standard
from ..vocab import MODES
from . import sheets as sh
from .schedule import Schedule, add_months


@dataclass(frozen=True)
class DocIndex:
    """The pack's documents by catalog id: (number, title); names them only when they are in the pack."""

    docs: Mapping[str, tuple[str, str]]

    def label(self, doc_id: str) -> str:
        if doc_id not in self.docs:
            return ""
        number, title = self.docs[doc_id]
        return f"《{title}》（{number}）"

    def labels(self, *ids: str) -> str:
        return "、".join(x for x in (self.label(i) for i in ids) if x)


def _people_with(profile: Profile, *roles: str) -> list[str]:
    return [p.name for p in profile.people if any(r in p.roles for r in roles)]


def _person(profile: Profile, role: str) -> str:
    return next((p.name for p in profile.people if role in p.roles), "")


# ---------------------------------------------------------------------- training
def training_sessions(profile: Profile, schedule: Schedule, docs: DocIndex, facts: ServiceFacts) -> list[list[object]]:
    """(内容, 对象, 人员, 讲师, 日期, 学时, 考核方式) of each session: the standard, the documents, each role."""
    rep, head = _person(profile, "management_representative"), _person(profile, "after_sales_head")
    everyone = [p.name for p in profile.people]
    prepare, training, audit = schedule["prepare"].start, schedule["training"].start, schedule["internal_audit"].start
    sessions: list[list[object]] = [
        ["GB/T 27922-2011《商品售后服务评价体系》标准及认证要求", "认证工作小组", "、".join(everyone[:12]), rep, prepare, 4, "闭卷考试"],
        [f"售后服务体系文件：{docs.labels('service_manual')}及程序文件", "全体员工（分部门）", "、".join(everyone), rep, training,
         max(4, facts.training.get("induction_hours", 4)), "考试或提问"],
        [f"作业指导书和记录表单（{docs.labels('wi_hotline', 'wi_complaint_intake', 'rec_service_order')}等）", "一线服务人员",
         "、".join(_people_with(profile, "engineer", "customer_service", "complaint_handler", "service_manager")), head,
         schedule["training"].end, 4, "实操考核"],
    ]
    by_role = {
        "internal_auditor": ("内部审核员培训：审核方法、检查表使用、不符合项报告", audit - dt.timedelta(days=14), "考试并颁发内审员证书"),
        "complaint_handler": (f"投诉处理与重大投诉升级：{docs.labels('complaints', 'emergencies')}", training, "情景演练"),
        "service_manager": ("售后服务管理师继续教育与工作规范" + (f"：{docs.label('wi_service_manager')}" if docs.label("wi_service_manager") else ""),
                            training, "考核"),
        "supervisor": (f"服务监督与绩效考核：{docs.labels('supervision_appraisal')}", training, "提问"),
        "document_controller": (f"文件和记录控制：{docs.labels('document_control', 'record_control')}", training, "实操考核"),
    }
    for role, (content, day, check) in by_role.items():
        names = _people_with(profile, role)
        if names:
            sessions.append([content, profile.vocabulary('roles').label(role), "、".join(names), rep if role != "internal_auditor" else "外聘讲师",
                             day, 8 if role == "internal_auditor" else 2, check])
    return sessions


def build_training(profile: Profile, schedule: Schedule, docs: DocIndex, facts: ServiceFacts, number: str,
                   when: dt.datetime) -> bytes:
    """培训计划及签到表: the plan, then a sign-in sheet per session with its people."""
    wb = Workbook()
    ws = wb.active
    ws.title = "培训计划"
    header = ["序号", "培训内容", "培训对象", "参加人员", "讲师", "计划日期", "学时", "考核方式", "实施情况"]
    widths = [6, 40, 14, 30, 10, 14, 6, 12, 12]
    sh.titled_sheet(ws, profile.company.name, number, "认证培训计划", header, widths,
                    f"培训记录按{docs.labels('hr_training')}保存，填写{docs.labels('rec_training')}")
    sessions = training_sessions(profile, schedule, docs, facts)
    sh.rows(ws, [[i, *s, ""] for i, s in enumerate(sessions, start=1)], center=(1, 6, 7), widths=widths)
    for i, session in enumerate(sessions, start=1):
        sign = wb.create_sheet(f"签到表{i}")
        sh.titled_sheet(sign, profile.company.name, number, "培训签到表", ["序号", "姓名", "部门", "职务", "签到", "考核成绩"],
                        [6, 12, 16, 18, 16, 10], f"培训内容：{session[0]}　日期：{session[4]:%Y年%m月%d日}　讲师：{session[3]}",
                        landscape=False)
        people = {p.name: p for p in profile.people}
        names = [n for n in str(session[2]).split("、") if n in people]
        data = [[k, n, people[n].department, people[n].title, "", ""] for k, n in enumerate(names, start=1)]
        data += [[len(data) + k, "", "", "", "", ""] for k in range(1, 6)]
        sh.rows(sign, data, center=(1,), widths=[6, 12, 16, 18, 16, 10])
    return sh.save(wb, profile.company.name, "认证培训计划及签到表", when)


# ---------------------------------------------------------------------- trial run
def build_monthly(profile: Profile, schedule: Schedule, facts: ServiceFacts, number: str, when: dt.datetime) -> bytes:
    """试运行服务数据月报: a sheet per trial month; KPI rates as Excel formulas numerator ÷ denominator."""
    wb = Workbook()
    wb.remove(wb.active)
    trial = schedule["trial"]
    months = int(profile.certification.trial_run_months)
    header = ["序号", "项目", "数值", "目标", "是否达标", "说明"]
    widths = [6, 44, 12, 14, 10, 36]
    for m in range(months):
        begin = add_months(trial.start, m)
        end = min(add_months(trial.start, m + 1) - dt.timedelta(days=1), trial.end)
        ws = wb.create_sheet(f"第{m + 1}个月")
        sh.titled_sheet(ws, profile.company.name, number, f"试运行第{m + 1}个月服务数据统计表", header, widths,
                        f"统计期：{begin:%Y年%m月%d日}至{end:%Y年%m月%d日}；黄色单元格填写，达成率自动计算；报{facts.frequencies.get('kpi_report', '')}",
                        landscape=False)
        r = sh.FIRST_ROW
        sh.put(ws, r, 1, 1, align=sh.CENTER)
        sh.put(ws, r, 2, "服务请求总数（件）")
        sh.put(ws, r, 3, None, fill=sh.INPUT_FILL)
        for c in (4, 5, 6):
            sh.put(ws, r, c, None)
        r += 1
        for kpi in facts.kpis:
            for label in (kpi.numerator, kpi.denominator):
                sh.put(ws, r, 1, r - sh.FIRST_ROW + 1, align=sh.CENTER)
                sh.put(ws, r, 2, f"{kpi.name}：{label}")
                sh.put(ws, r, 3, None, fill=sh.INPUT_FILL)
                for c in (4, 5, 6):
                    sh.put(ws, r, c, None)
                r += 1
            sh.put(ws, r, 1, r - sh.FIRST_ROW + 1, align=sh.CENTER)
            sh.put(ws, r, 2, f"{kpi.name}（%）", sh.BOLD)
            sh.formula(ws, r, 3, f'=IF(N(C{r - 1})=0,"",C{r - 2}/C{r - 1})', "0.0%", sh.BOLD)
            sh.put(ws, r, 4, facts.target_text(kpi.target_pct), align=sh.CENTER)
            sh.formula(ws, r, 5, f'=IF(C{r}="","",IF(C{r}>={kpi.target_pct / 100:g},"达标","未达标"))')
            sh.put(ws, r, 6, kpi.formula)
            ws.row_dimensions[r].height = sh.row_height([kpi.formula], [widths[5]])
            r += 1
        for grade in facts.grades:
            sh.put(ws, r, 1, r - sh.FIRST_ROW + 1, align=sh.CENTER)
            sh.put(ws, r, 2, f"投诉件数：{grade.name}（件）")
            sh.put(ws, r, 3, None, fill=sh.INPUT_FILL)
            sh.put(ws, r, 4, None)
            sh.put(ws, r, 5, None)
            sh.put(ws, r, 6, f"{grade.response_hours}小时内响应，{grade.close_days}日内办结，升级至{grade.escalate_title}{grade.escalate_to}")
            r += 1
        sh.put(ws, r, 1, r - sh.FIRST_ROW + 1, align=sh.CENTER)
        sh.put(ws, r, 2, "投诉合计（件）", sh.BOLD)
        sh.formula(ws, r, 3, f"=SUM(C{r - len(facts.grades)}:C{r - 1})", None, sh.BOLD)
        for c in (4, 5, 6):
            sh.put(ws, r, c, None)
        end_row = sh.note_rows(ws, r + 2, ["分析与改进：", "", "统计人：　　　　　审核人：　　　　　日期："], len(header))
        ws.print_area = f"A1:F{end_row - 1}"
    return sh.save(wb, profile.company.name, "试运行服务数据月报", when)


# ---------------------------------------------------------------------- management review
def build_review_inputs(profile: Profile, schedule: Schedule, docs: DocIndex, facts: ServiceFacts, number: str,
                        when: dt.datetime) -> bytes:
    """管理评审输入清单: what each department brings, from which records, by when."""
    review = schedule["management_review"]
    due = review.start - dt.timedelta(days=3)
    dept = profile.department_for
    inputs = [
        ("内部审核结果及不符合项整改情况", dept("supervision").name, docs.labels("internal_audit", "rec_capa")),
        ("顾客反馈：满意度测评结果、回访情况、顾客意见", dept("customer_service").name,
         docs.labels("rec_satisfaction_survey", "rec_followup", "rec_opinion_letter")),
        ("服务质量数据：" + "、".join(k.name for k in facts.kpis) + "的达成情况", dept("supervision").name,
         docs.labels("rec_target_assessment", "rec_performance")),
        ("投诉情况：" + "、".join(facts.grade_names) + "的件数、处理及办结情况", dept("customer_service").name,
         docs.labels("rec_complaint_register")),
        ("纠正和预防措施的状况", dept("quality").name, docs.labels("corrective_action", "rec_capa")),
        ("以往管理评审的跟踪措施", dept("management").name, docs.labels("management_review")),
        ("可能影响售后服务体系的变化（法律法规、组织机构、产品、服务网点）", dept("management").name,
         docs.labels("rec_laws_list", "rec_outlet_list")),
        ("服务资源与专项资金使用情况", dept("finance").name, docs.labels("rec_budget")),
        ("服务网点与委托服务商的评价结果", dept("after_sales").name, docs.labels("rec_inspection", "rec_supplier_eval")),
        ("改进建议及是否申请认证的建议", _person(profile, "management_representative"), ""),
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "评审输入"
    header = ["序号", "评审输入", "提供部门 / 人", "依据的记录", "提交期限", "已提交"]
    widths = [6, 40, 16, 44, 14, 8]
    sh.titled_sheet(ws, profile.company.name, number, "管理评审输入清单", header, widths,
                    f"管理评审：{review.start:%Y年%m月%d日}，按{docs.labels('management_review')}进行")
    end = sh.rows(ws, [[i, a, b, c, due, ""] for i, (a, b, c) in enumerate(inputs, start=1)], center=(1, 5, 6), widths=widths)
    sh.dropdown(ws, ["是", "否"], f"F{sh.FIRST_ROW}:F{end - 1}")
    return sh.save(wb, profile.company.name, "管理评审输入清单", when)


# ---------------------------------------------------------------------- application
def dossier_items(profile: Profile, docs: DocIndex, kit: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(材料, 来源, 文件或说明) the certification body asks for; 来源: docgen 生成 / 取自企业档案 / 企业提供."""
    c = profile.company
    gen, prof, own = "docgen 生成", "取自企业档案", "企业提供"
    excluded = "；".join(f"{e.clause}：{e.reason}" for e in profile.certification.excluded) or "无删减条款"
    services = profile.vocabulary("services")
    modes = "、".join(f"{services.label(key)}（{MODES.label(s.mode)}）" for key, s in profile.services.items() if s.offered)
    return [
        ("认证申请书", own, f"向{profile.certification.body}索取并填写，加盖公章"),
        ("营业执照副本复印件", own, f"统一社会信用代码：{c.credit_code or '（企业档案未填）'}"),
        ("法律法规要求的行政许可证明、资质证书", own, "与经营范围对应的许可证复印件"),
        ("企业简介（名称、地址、规模、经营范围）", prof, f"{c.name}，{c.address}，员工{c.headcount}人；见{docs.label('service_manual')}第1章"),
        ("产品 / 服务说明", prof, "、".join(p.name for p in profile.products) + f"；见{docs.labels('rec_sanbao_policy', 'rec_fee_schedule')}"),
        ("适用的法律法规和标准清单", gen, docs.labels("rec_laws_list")),
        ("组织机构图及售后服务组织机构图", gen, f"{docs.label('service_manual')}（组织机构图）"),
        ("销售及服务网点清单", gen, docs.labels("rec_outlet_list")),
        ("售后服务的组织方式（自营或委托、删减条款及理由、设施、经费）", prof,
         f"提供的服务：{modes}；删减：{excluded}；经费{profile.budget.annual_wan:g}万元/年，专项资金{profile.budget.special_fund_wan:g}万元"),
        ("委托服务协议及受托方资质", own if profile.partners else prof,
         "、".join(p.name for p in profile.partners) or "无委托服务商"),
        ("售后服务管理师证书", own, "、".join(f"{p.name}（{p.certificate}）" for p in profile.people if p.certificate) or "证书复印件"),
        ("企业获得的认证证书和荣誉", own, "管理体系、产品认证证书及荣誉证书复印件"),
        ("售后服务体系文件", gen, docs.labels("service_manual") + "及程序文件、作业指导书、记录表单"),
        ("体系文件清单（受控文件清单）", gen, kit.get("master_list", "")),
        ("自我评价报告", gen, kit.get("selfassess", "")),
        ("内部审核和管理评审记录", gen, "、".join(x for x in (kit.get("audit_programme", ""), kit.get("audit_report", ""),
                                                          kit.get("review_report", "")) if x)),
        ("服务承诺书", gen, docs.labels("service_culture")),
        ("售后服务经费预算", gen, docs.labels("rec_budget")),
    ]


def build_dossier(profile: Profile, docs: DocIndex, kit: Mapping[str, str], number: str, when: dt.datetime) -> bytes:
    """认证申请材料清单, each item marked generated by docgen (with the file), from the profile, or to be supplied."""
    wb = Workbook()
    ws = wb.active
    ws.title = "申请材料"
    header = ["序号", "申请材料", "来源", "文件 / 内容", "份数", "已备齐"]
    widths = [6, 36, 14, 56, 6, 8]
    sh.titled_sheet(ws, profile.company.name, number, "认证申请材料清单", header, widths,
                    f"认证机构：{profile.certification.body}；目标等级：{profile.certification.target_level}；"
                    "来源“docgen 生成”为本套文件中的文件，“取自企业档案”为企业档案中的信息，“企业提供”由企业准备")
    items = dossier_items(profile, docs, kit)
    end = sh.rows(ws, [[i, a, b, c, 1, ""] for i, (a, b, c) in enumerate(items, start=1)], center=(1, 3, 5, 6), widths=widths)
    sh.dropdown(ws, ["是", "否"], f"F{sh.FIRST_ROW}:F{end - 1}")
    return sh.save(wb, profile.company.name, "认证申请材料清单", when)


def build_price_lists(profile: Profile, docs: DocIndex, numbers: tuple[str, str], when: dt.datetime) -> list[tuple[str, bytes]]:
    """《配件价格表》 and 《辅材价格表》: the parts the profile names with prices to fill (the profile holds no part
    prices), the fees it publishes; each stated as a form where its prices are to be filled in."""
    buyer = profile.department_for("purchasing").name
    approver = _person(profile, "general_manager")
    out = []
    parts: list[list[object]] = []
    for p in profile.products:
        for kind, items in (("主要部件", p.warranty.main_parts), ("易损件", p.warranty.wearing_parts)):
            for part in items:
                parts.append([len(parts) + 1, p.name, part.name, kind, f"{part.months}个月", None, None, ""])
    for title, number, data in (("配件价格表", numbers[0], parts), ("辅材价格表", numbers[1], [])):
        wb = Workbook()
        ws = wb.active
        ws.title = title
        header = ["序号", "适用产品", "名称", "类别", "保修期", "单位", "单价（元）", "备注"]
        widths = [6, 20, 22, 10, 10, 8, 12, 24]
        fees = [f for f in profile.fees if ("配件" in f.item if title == "配件价格表" else "材" in f.item and "配件" not in f.item)]
        basis = (f"待填表单：企业档案未给出{title[:2]}价格，由{buyer}按采购成本核定填写，经总经理{approver}批准后在服务网点公示；"
                 f"收费项目见{docs.labels('rec_fee_schedule')}")
        sh.titled_sheet(ws, profile.company.name, number, title, header, widths, basis, landscape=False)
        rows = data + [[len(data) + k, None, None, None, None, None, None, ""] for k in range(1, 11)]
        rows += [[len(rows) + k, "", f.item, "收费项目", "", f.unit, f.price, f.note or ""] for k, f in enumerate(fees, start=1)]
        end = sh.rows(ws, rows, center=(1, 4, 5, 6, 7), widths=widths)
        for r in range(sh.FIRST_ROW, end):
            if ws.cell(r, 7).value is None:
                ws.cell(r, 7).fill = sh.INPUT_FILL
        out.append((title, sh.save(wb, profile.company.name, title, when)))
    return out


def build_capa_tracker(profile: Profile, standard: Standard, number: str, when: dt.datetime) -> bytes:
    """认证审核不符合项整改跟踪表: finding, clause, root cause, correction, action, evidence, deadline, verification."""
    wb = Workbook()
    ws = wb.active
    ws.title = "整改跟踪"
    header = ["序号", "审核发现（不符合事实）", "条款", "责任部门", "根本原因", "纠正", "纠正措施", "证据材料", "完成期限", "验证结论",
              "验证人 / 日期"]
    widths = [6, 30, 9, 12, 24, 22, 24, 20, 12, 14, 12]
    sh.titled_sheet(ws, profile.company.name, number, "认证审核不符合项整改跟踪表", header, widths,
                    f"认证机构现场审核开具的不符合项，在规定期限内整改并将证据提交{profile.certification.body}验证")
    data = [[k, "", "", "", "", "", "", "", "", "", ""] for k in range(1, 21)]
    end = sh.rows(ws, data, center=(1, 3, 9, 10))
    for r in range(sh.FIRST_ROW, end):
        ws.row_dimensions[r].height = 42
    ids = [c.id for c in standard.clauses]
    sh.dropdown(ws, ids, f"C{sh.FIRST_ROW}:C{end - 1}")
    sh.dropdown(ws, ["有效，关闭", "部分有效，继续跟踪", "无效，重新整改"], f"J{sh.FIRST_ROW}:J{end - 1}")
    if _plain(profile):
        sh.dropdown(ws, [d.name for d in profile.departments], f"D{sh.FIRST_ROW}:D{end - 1}")
    ws.column_dimensions[get_column_letter(len(header))].width = 12
    return sh.save(wb, profile.company.name, "认证审核不符合项整改跟踪表", when)


def _plain(profile: Profile) -> bool:
    """Whether every department name can stand in a dropdown list (no comma or quote, 255 characters in all)."""
    names = [d.name for d in profile.departments]
    return all("," not in n and '"' not in n for n in names) and len(",".join(names)) < 250
