<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>AttachmentPreviewWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/attachment_preview_widget.py" line="53" />
            <source>Choose a file to preview it.</source>
            <translation>选择一个文件以预览。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/attachment_preview_widget.py" line="56" />
            <source>No preview for this type of file; open it with the system's viewer.</source>
            <translation>此类文件无法预览；请用系统查看器打开。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/attachment_preview_widget.py" line="98" />
            <source>This PDF cannot be shown; open it with the system's viewer.</source>
            <translation>无法显示此 PDF；请用系统查看器打开。</translation>
        </message>
    </context>
    <context>
        <name>Certification</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="154" />
            <source>%Ln certificates</source>
            <translation>
                <numerusform>%Ln 份证书</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="82" />
            <source>Approve</source>
            <translation>批准</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="45" />
            <source>Approved</source>
            <translation>已批准</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="177" />
            <source>At this level</source>
            <translation>本级别要求</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="250" />
            <source>CONFLICT: merge first</source>
            <translation>冲突：请先合并</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="65" />
            <source>Certificate</source>
            <translation>证书</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="137" />
            <source>Certificate PDF</source>
            <translation>证书 PDF</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="161" />
            <source>Certificate register</source>
            <translation>证书登记册</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="239" />
            <source>Certificate {number} is NOT genuine: it does not match this register's record of it; check with site {site}.</source>
            <translation>证书 {number} 不是真的：与本登记册中的记录不符；请与站点 {site} 核实。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="236" />
            <source>Certificate {number} is NOT genuine: it is dated {issued} but signed with a key of site {site} retired on {retired}.</source>
            <translation>证书 {number} 不是真的：其日期为 {issued}，但签名所用的站点 {site} 密钥已于 {retired} 停用。</translation>
        </message>
        <message>
            <source>Certificate {number} is NOT genuine: its signature does not match; the document or the code was altered.</source>
            <translation type="vanished">证书 {number} 不是真的：签名不匹配，文件或代码已被篡改。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="233" />
            <source>Certificate {number} is NOT genuine: its signature is not that of site {site}; the code or the document was altered or forged.</source>
            <translation>证书 {number} 不是真的：其签名不是站点 {site} 的签名；代码或文件已被篡改或伪造。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="242" />
            <source>Certificate {number} is NOT genuine: the file was changed after site {site} sealed it.</source>
            <translation>证书 {number} 不是真的：文件在站点 {site} 封签后被更改。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="225" />
            <source>Certificate {number} is genuine but REVOKED in this register since {since}: {why} It is no longer valid.</source>
            <translation>证书 {number} 是真实的，但自 {since} 起在本登记册中已被撤销：{why} 它已不再有效。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="211" />
            <source>Certificate {number} is genuine but REVOKED in this register: it is no longer valid.</source>
            <translation>证书 {number} 为真，但在本登记册中已撤销：不再有效。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="216" />
            <source>Certificate {number} is genuine but SUPERSEDED since {since}: certificate {replacement} replaced it; it is no longer valid.</source>
            <translation>证书 {number} 是真实的，但自 {since} 起已被取代：证书 {replacement} 取代了它；它已不再有效。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="222" />
            <source>Certificate {number} is genuine but SUSPENDED in this register since {since}: {why} It is not valid unless reinstated.</source>
            <translation>证书 {number} 是真实的，但自 {since} 起在本登记册中已被暂停：{why} 除非恢复，否则无效。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="208" />
            <source>Certificate {number} is genuine but SUSPENDED in this register: it is not valid unless reinstated.</source>
            <translation>证书 {number} 为真，但在本登记册中已暂停：除非恢复，否则无效。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="199" />
            <source>Certificate {number} is genuine but no longer current: a later decision replaced it.</source>
            <translation>证书 {number} 为真，但已不是当前有效的证书：已被后续决定取代。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="202" />
            <source>Certificate {number} is genuine but no longer current: the submission was changed after its approval and awaits re-approval.</source>
            <translation>证书 {number} 为真，但已不是当前有效的证书：提交在批准后被更改，正等待重新批准。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="219" />
            <source>Certificate {number} is genuine but no longer current: the submission was changed on {since}, after its approval, and awaits re-approval.</source>
            <translation>证书 {number} 是真实的，但已不是最新：提交在批准之后于 {since} 被修改，正在等待重新批准。</translation>
        </message>
        <message>
            <source>Certificate {number} is genuine but no longer valid: it is {status} in the register.</source>
            <translation type="vanished">证书 {number} 为真但已失效：在登记册中的状态为 {status}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="205" />
            <source>Certificate {number} is genuine, but its state here is undecided: its submission was edited at two sites and must be merged.</source>
            <translation>证书 {number} 为真，但其在此处的状态未定：其提交在两个站点被编辑，须先合并。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="189" />
            <source>Certificate {number} is genuine: signed by site {site}, and an interim approval in this register ({limit}).</source>
            <translation>证书 {number} 为真：由站点 {site} 签署，在本登记册中为临时批准（{limit}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="186" />
            <source>Certificate {number} is genuine: signed by site {site}, and valid in this register.</source>
            <translation>证书 {number} 为真：由站点 {site} 签署，在本登记册中有效。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="196" />
            <source>Certificate {number} is genuine: signed by site {site}, but its interim approval expired on {until}.</source>
            <translation>证书 {number} 为真：由站点 {site} 签署，但其临时批准已于 {until} 到期。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="229" />
            <source>Certificate {number} is genuine: signed by site {site}, but its interim approval expired on {until}. It is not in this register.</source>
            <translation>证书 {number} 是真实的：由站点 {site} 签署，但其临时批准已于 {until} 到期。它不在本登记册中。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="247" />
            <source>Certificate {number} is genuine: signed by site {site}. It is not in this register, so its current state is not known here.</source>
            <translation>证书 {number} 为真：由站点 {site} 签署。该证书不在本登记册中，因此此处无法得知其当前状态。</translation>
        </message>
        <message>
            <source>Certificate {number} is genuine: the signature of site {site} is valid.</source>
            <translation type="vanished">证书 {number} 为真：站点 {site} 的签名有效。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="250" />
            <source>Certificate {number} names site {site}, whose key is not enrolled here; enrol that site's key, its fingerprint confirmed, to check it.</source>
            <translation>证书 {number} 所指明的站点 {site} 的密钥未在此登记；请在确认指纹后登记该站点的密钥，再进行验证。</translation>
        </message>
        <message>
            <source>Certificate {number} was signed by a site this installation does not know ({site}); enrol that site's key to check it.</source>
            <translation type="vanished">证书 {number} 由本系统未知的站点（{site}）签署；请登记该站点的密钥后再验证。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="60" />
            <source>Certification</source>
            <translation>认证</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="76" />
            <source>Changed</source>
            <translation>修改日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="121" />
            <source>Check</source>
            <translation>检查</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="188" />
            <source>Check completeness</source>
            <translation>检查完整性</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="147" />
            <source>Checking…</source>
            <translation>正在检查…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="122" />
            <source>Choose a PDF…</source>
            <translation>选择 PDF…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="163" />
            <source>Choose a certificate first.</source>
            <translation>请先选择一份证书。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/new_submission_dialog.py" line="113" />
            <source>Choose a part revision.</source>
            <translation>请选择零件版本。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="237" />
            <source>Choose a submission</source>
            <translation>请选择一个提交</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="295" />
            <source>Choose an element first.</source>
            <translation>请先选择一个要素。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="142" />
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="405" />
            <source>Complete: every required element is covered and consistent.</source>
            <translation>完整：每个必需要素均已覆盖且一致。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="53" />
            <source>Conditionally approved</source>
            <translation>有条件批准</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="232" />
            <source>Conflicting edits</source>
            <translation>编辑冲突</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="90" />
            <source>Corrective action plan</source>
            <translation>纠正措施计划</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="190" />
            <source>Customer: submit / retain</source>
            <translation>客户：提交 / 保留</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="194" />
            <source>Decisions and signatures</source>
            <translation>决定与签名</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="162" />
            <source>Deviations</source>
            <translation>偏差许可</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="42" />
            <source>Draft</source>
            <translation>草稿</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="116" />
            <source>Electronic signature — {action}</source>
            <translation>电子签名 — {action}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="176" />
            <source>Element</source>
            <translation>要素</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="166" />
            <source>Every state</source>
            <translation>所有状态</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="177" />
            <source>Evidence</source>
            <translation>证据</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_pick_dialog.py" line="54" />
            <source>Evidence recorded for this part revision (reports, then attached files):</source>
            <translation>此零件版本已记录的证据（先列报告，后列附件）：</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="227" />
            <source>Expired</source>
            <translation>已过期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="137" />
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="411" />
            <source>For the customer to agree: {finding}</source>
            <translation>需与客户商定：{finding}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="261" />
            <source>Generated from this submission</source>
            <translation>由本提交生成</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="226" />
            <source>Interim</source>
            <translation>临时</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="46" />
            <location filename="../../desktop_app/domain/certification.py" line="83" />
            <source>Interim approval</source>
            <translation>临时批准</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="52" />
            <source>Interim: until {until}, quantity {qty}</source>
            <translation>临时：至 {until}，数量 {qty}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="73" />
            <source>Issued</source>
            <translation>签发日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/new_submission_dialog.py" line="83" />
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="71" />
            <source>Kind</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="164" />
            <source>Laboratories</source>
            <translation>实验室</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="134" />
            <source>Languages of the certificate</source>
            <translation>证书语言</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="191" />
            <source>Level 4: the customer says per element whether it is submitted.</source>
            <translation>4 级：由客户逐项规定各要素是否提交。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="180" />
            <source>Level {n}</source>
            <translation>{n} 级</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_pick_dialog.py" line="53" />
            <source>Link evidence</source>
            <translation>关联证据</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="185" />
            <source>Link evidence…</source>
            <translation>关联证据…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="231" />
            <source>Needs re-approval</source>
            <translation>需重新批准</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/new_submission_dialog.py" line="81" />
            <source>New submission</source>
            <translation>新提交</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="169" />
            <source>New submission…</source>
            <translation>新提交…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="90" />
            <source>No certificate among those asked for.</source>
            <translation>所请求的证书中没有任何证书。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="91" />
            <source>No certificate issued yet: a certificate is issued when a submission is approved.</source>
            <translation>尚未签发证书：提交获批准时签发证书。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_pick_dialog.py" line="69" />
            <source>No evidence is recorded for this part revision yet.</source>
            <translation>此零件版本尚未记录任何证据。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="106" />
            <source>No submission matches this search or state.</source>
            <translation>没有符合此搜索或状态的提交。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="108" />
            <source>No submission yet. A submission is prepared for a part revision with “New submission…”.</source>
            <translation>尚无提交。可通过“新提交…”为零件版本准备提交。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="176" />
            <source>No.</source>
            <translation>序号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="342" />
            <source>Not applicable</source>
            <translation>不适用</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="178" />
            <source>Not applicable because</source>
            <translation>不适用原因</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="187" />
            <source>Not applicable…</source>
            <translation>不适用…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="25" />
            <source>OTS engineering approval</source>
            <translation>OTS 工程批准</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="380" />
            <source>Only elements marked * at this level take the customer's choice.</source>
            <translation>只有本级别中标记为 * 的要素才采用客户的选择。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="120" />
            <source>PDC1|CERT-…</source>
            <translation>PDC1|CERT-…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/certificate_printing.py" line="65" />
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="138" />
            <source>PDF files (*.pdf)</source>
            <translation>PDF 文件 (*.pdf)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="26" />
            <source>PPAP</source>
            <translation>PPAP</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/new_submission_dialog.py" line="83" />
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="183" />
            <source>PPAP level</source>
            <translation>PPAP 级别</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="69" />
            <source>Part</source>
            <translation>零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="66" />
            <source>Part number</source>
            <translation>零件号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/new_submission_dialog.py" line="82" />
            <source>Part revision</source>
            <translation>零件版本</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="46" />
            <source>Part {part}, drawing revision {rev}; {type}; issued {issued}</source>
            <translation>零件 {part}，图纸版本 {rev}；{type}；签发日期 {issued}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="91" />
            <source>Password</source>
            <translation>密码</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/certificate_printing.py" line="56" />
            <source>Print {title}</source>
            <translation>打印 {title}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="131" />
            <source>Print…</source>
            <translation>打印…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="88" />
            <source>Quantity limit (0: none)</source>
            <translation>数量限制（0：不限）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/new_submission_dialog.py" line="84" />
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="84" />
            <source>Reason</source>
            <translation>原因</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/new_submission_dialog.py" line="84" />
            <source>Reason (details)</source>
            <translation>原因（详细说明）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="184" />
            <source>Reason for submission</source>
            <translation>提交原因</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="87" />
            <source>Reinstate</source>
            <translation>恢复</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="84" />
            <source>Reject</source>
            <translation>拒绝</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="47" />
            <source>Rejected</source>
            <translation>已拒绝</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="186" />
            <source>Remove links</source>
            <translation>移除关联</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="85" />
            <source>Reopen for resubmission</source>
            <translation>重新打开以再次提交</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="163" />
            <source>Retention</source>
            <translation>保存期限</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="88" />
            <source>Revoke</source>
            <translation>撤销</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="229" />
            <location filename="../../desktop_app/domain/certification.py" line="49" />
            <source>Revoked</source>
            <translation>已撤销</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="132" />
            <source>Save PDF…</source>
            <translation>保存 PDF…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/certificate_printing.py" line="64" />
            <source>Save certificate</source>
            <translation>保存证书</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="181" />
            <source>Saved {file}.</source>
            <translation>已保存 {file}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="117" />
            <source>Scan the QR code of a printed certificate with a handheld scanner, paste its text, or choose the PDF file. Nothing leaves this computer.</source>
            <translation>用手持扫描枪扫描纸质证书上的二维码、粘贴其文本，或选择 PDF 文件。任何数据都不会离开本计算机。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/new_submission_dialog.py" line="82" />
            <source>Search parts</source>
            <translation>搜索零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="165" />
            <source>Search submission numbers</source>
            <translation>搜索提交编号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="127" />
            <source>Sign</source>
            <translation>签名</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="441" />
            <source>Signed and recorded.</source>
            <translation>已签名并记录。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="123" />
            <source>Signed by {name}</source>
            <translation>签署人：{name}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="55" />
            <source>Signed with key {fingerprint}</source>
            <translation>使用密钥 {fingerprint} 签名</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="148" />
            <source>Signing…</source>
            <translation>正在签名…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="81" />
            <source>Start review</source>
            <translation>开始评审</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="74" />
            <source>State</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="69" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="67" />
            <source>Submission</source>
            <translation>提交</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="160" />
            <source>Submissions</source>
            <translation>提交</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="80" />
            <source>Submit</source>
            <translation>提交</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="43" />
            <source>Submitted</source>
            <translation>已提交</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="230" />
            <source>Superseded</source>
            <translation>已被取代</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="86" />
            <source>Suspend</source>
            <translation>暂停</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="228" />
            <location filename="../../desktop_app/domain/certification.py" line="48" />
            <source>Suspended</source>
            <translation>已暂停</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="258" />
            <source>The file carries no seal of the issuing site: its QR code was checked, not the rest of the printed page.</source>
            <translation>该文件没有签发站点的封签：仅校验了其二维码，未校验打印页面的其余内容。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="256" />
            <source>This certificate file carries no seal; verify it with the issuing site.</source>
            <translation>此证书文件没有封签；请向签发站点核实。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="254" />
            <source>This is not a PartDesk certificate code or file.</source>
            <translation>这不是 PartDesk 证书代码或文件。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="67" />
            <source>Type</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="44" />
            <source>Under review</source>
            <translation>评审中</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="225" />
            <source>Valid</source>
            <translation>有效</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="86" />
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="75" />
            <source>Valid until</source>
            <translation>有效期至</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="116" />
            <source>Verify a certificate</source>
            <translation>验证证书</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="133" />
            <source>Verify a certificate…</source>
            <translation>验证证书…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="189" />
            <source>Warrant (PSW)…</source>
            <translation>零件提交保证书 (PSW)…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="193" />
            <source>What is missing</source>
            <translation>缺少的内容</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="343" />
            <source>Why is this element not applicable? (empty: applicable)</source>
            <translation>此要素为何不适用？（留空：适用）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="118" />
            <source>Your signature is recorded with your name, this meaning, the time and the exact revision of the submission. Type your password to sign.</source>
            <translation>您的签名将连同您的姓名、签名含义、时间及提交的确切修订一并记录。请输入密码以签名。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="146" />
            <source>approved</source>
            <translation>批准</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="283" />
            <source>covers a previous revision: the certificate needs re-approval</source>
            <translation>针对的是先前修订：证书需重新批准</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="71" />
            <source>expires within 30 days</source>
            <translation>30 天内到期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="147" />
            <source>given an interim approval</source>
            <translation>给予临时批准</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="279" />
            <source>its site's signature does not verify here</source>
            <translation>其站点的签名在此处未能通过验证</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="151" />
            <source>reinstated</source>
            <translation>恢复</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="148" />
            <source>rejected</source>
            <translation>拒绝</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="149" />
            <source>reopened</source>
            <translation>重新打开</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="152" />
            <source>revoked</source>
            <translation>撤销</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="144" />
            <source>submitted</source>
            <translation>提交</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="150" />
            <source>suspended</source>
            <translation>暂停</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="145" />
            <source>taken into review</source>
            <translation>纳入评审</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="261" />
            <source>until {date}</source>
            <translation>至 {date}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="258" />
            <source>{choice} (customer)</source>
            <translation>{choice}（客户）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="247" />
            <source>{kind} · {state} · round {round}</source>
            <translation>{kind} · {state} · 第 {round} 轮</translation>
        </message>
        <message>
            <source>{n} certificate(s)</source>
            <translation type="vanished">{n} 份证书</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="262" />
            <source>{quantity} parts</source>
            <translation>{quantity} 件</translation>
        </message>
    </context>
    <context>
        <name>CharacteristicDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="82" />
            <source>Add a characteristic</source>
            <translation>添加特性</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="83" />
            <source>Change characteristic {number}</source>
            <translation>修改特性 {number}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="114" />
            <source>Class</source>
            <translation>分类</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="100" />
            <source>Description</source>
            <translation>描述</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="105" />
            <source>Gauge (register id)</source>
            <translation>量具（登记编号）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="101" />
            <source>Lower tolerance (e.g. -0.1)</source>
            <translation>下公差（例如 -0.1）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="104" />
            <source>Measuring method</source>
            <translation>测量方法</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="101" />
            <source>Nominal</source>
            <translation>名义值</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="100" />
            <source>Number (balloon)</source>
            <translation>编号（气泡号）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="112" />
            <source>Type</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="104" />
            <source>Unit</source>
            <translation>单位</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="102" />
            <source>Upper tolerance (e.g. +0.1)</source>
            <translation>上公差（例如 +0.1）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="103" />
            <source>or lower limit</source>
            <translation>或下限</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="103" />
            <source>or upper limit</source>
            <translation>或上限</translation>
        </message>
    </context>
    <context>
        <name>Cli</name>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="171" />
            <source>  %GRR of the tolerance {value}</source>
            <translation>  %GRR（公差）{value}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="281" />
            <source>  (superseded)</source>
            <translation>  （已被取代）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/laboratories.py" line="62" />
            <source>  EXPIRED</source>
            <translation>  已过期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="131" />
            <source>  OVERDUE</source>
            <translation>  已逾期</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/retention.py" line="61" />
            <source>  PAST RETENTION: %Ln records</source>
            <translation>
                <numerusform>  超过保存期限：%Ln 条记录</numerusform>
            </translation>
        </message>
        <message>
            <source>  PAST RETENTION: {n} record(s)</source>
            <translation type="vanished">  超过保存期限：{n} 条记录</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/laboratories.py" line="63" />
            <source>  expires within 60 days</source>
            <translation>  60 天内到期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="104" />
            <source>  {type}: {new} new, {known} already known, {conflicting} conflicting</source>
            <translation>  {type}：新增 {new}，已有 {known}，冲突 {conflicting}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="214" />
            <source> (a retired site: its key no longer imports)</source>
            <translation>（已停用的站点：其密钥不再可用于导入）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="132" />
            <source> (this PC)</source>
            <translation>（本机）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="280" />
            <source> Details: {log}</source>
            <translation> 详情：{log}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="88" />
            <source> for {site}</source>
            <translation> （发往 {site}）</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/certification.py" line="76" />
            <source>%Ln certificates</source>
            <translation>
                <numerusform>%Ln 份证书</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/deviations.py" line="77" />
            <source>%Ln deviations</source>
            <translation>
                <numerusform>%Ln 项偏差许可</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/laboratories.py" line="66" />
            <source>%Ln laboratories</source>
            <translation>
                <numerusform>%Ln 个实验室</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/retention.py" line="63" />
            <source>%Ln part revisions out of production</source>
            <translation>
                <numerusform>%Ln 个零件修订版已停产</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/parts.py" line="218" />
            <source>%Ln parts written to {file}</source>
            <translation>
                <numerusform>%Ln 个零件已写入 {file}</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/sync.py" line="124" />
            <source>%Ln records now hold competing versions; see 'partdesk conflicts list'.</source>
            <translation>
                <numerusform>现有 %Ln 条记录存在冲突版本；请查看“partdesk conflicts list”。</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/retention.py" line="52" />
            <source>%Ln records past retention; none is deleted.</source>
            <translation>
                <numerusform>%Ln 条记录超过保存期限；均未删除。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="176" />
            <source>A site always writes its own site record and people; no other site may write them here.</source>
            <translation>站点始终自行写入其站点记录和人员；其他站点均不得在此写入这些内容。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/evidence.py" line="170" />
            <source>Added %Ln characteristics.</source>
            <translation>
                <numerusform>已添加 %Ln 个特性。</numerusform>
            </translation>
        </message>
        <message>
            <source>Added {n} characteristics.</source>
            <translation type="vanished">已添加 {n} 个特性。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/people.py" line="69" />
            <source>Added {user} as {role}.</source>
            <translation>已添加 {user}，角色为{role}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/core.py" line="103" />
            <source>All checks passed: database, audit log, revisions and files.</source>
            <translation>全部检查通过：数据库、审计日志、修订和文件。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="175" />
            <source>Appraiser  within  vs reference  kappa  miss  false alarm</source>
            <translation>评价人  自身一致  与基准一致  kappa  漏判  误判</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/core.py" line="112" />
            <source>Backup written: {path}</source>
            <translation>备份已写入：{path}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="251" />
            <source>Belongs to site {code}: only {code} can merge it.</source>
            <translation>属于站点 {code}：只有 {code} 可以合并。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="180" />
            <source>Between appraisers {between} %, all vs reference {all} %</source>
            <translation>评价人之间 {between} %，全部与基准 {all} %</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="174" />
            <source>Beyond its kind's defaults: {extra}; withheld: {missing}.</source>
            <translation>超出其类型默认设置的：{extra}；未授予的：{missing}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="167" />
            <source>Certificate {number} issued.</source>
            <translation>证书 {number} 已签发。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="250" />
            <source>Created here: you decide what to keep.</source>
            <translation>在此创建：由您决定保留哪些内容。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/deviations.py" line="95" />
            <source>Deviation {number} requested; it waives nothing until the customer approves it.</source>
            <translation>已申请偏差许可 {number}；在客户批准之前不豁免任何项。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/diagnostics.py" line="38" />
            <source>Diagnostics written to {path}.</source>
            <translation>诊断信息已写入 {path}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="116" />
            <source>Dry run: nothing was changed.</source>
            <translation>试运行：未做任何更改。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="107" />
            <source>Files: {new} new of {total}.</source>
            <translation>文件：共 {total} 个，其中新增 {new} 个。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="140" />
            <source>Gauge {code} added (due {due}).</source>
            <translation>已添加量具 {code}（校准到期日 {due}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="102" />
            <source>Header row {row}</source>
            <translation>标题行 {row}</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/sync.py" line="122" />
            <source>Imported: %Ln new revisions.</source>
            <translation>
                <numerusform>已导入：%Ln 个新修订。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="177" />
            <source>Imported: {created} new, {changed} changed, {suppliers} suppliers created.</source>
            <translation>已导入：新增 {created}，修改 {changed}，新建供应商 {suppliers} 家。</translation>
        </message>
        <message>
            <source>Imported: {new} new revisions.</source>
            <translation type="vanished">已导入：{new} 个新修订。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="270" />
            <source>Interrupted; nothing more was changed.</source>
            <translation>已中断；未再做任何更改。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="100" />
            <source>It is older than the last package received from {code} ({last}); only what is missing is applied.</source>
            <translation>该数据包早于从 {code} 收到的上一个数据包（{last}）；仅应用缺少的内容。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="96" />
            <source>Join code for one more PC of plant {site}: {code}
It works once, until {expires} (UTC). On the new PC: partdesk plant join --database-url URL --code {code}</source>
            <translation>工厂 {site} 新增一台电脑的加入码：{code}
仅可使用一次，有效期至 {expires}（UTC）。在新电脑上运行：partdesk plant join --database-url URL --code {code}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="116" />
            <source>Key {fingerprint}</source>
            <translation>密钥 {fingerprint}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="104" />
            <source>Latest study ({date}):</source>
            <translation>最近一次研究（{date}）：</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="82" />
            <source>MSA study of {gauge} recorded: {figures}</source>
            <translation>已记录 {gauge} 的 MSA 研究：{figures}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="275" />
            <source>Merged {record}: version {rev}.</source>
            <translation>已合并 {record}：版本 {rev}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="247" />
            <source>New password: </source>
            <translation>新密码： </translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="102" />
            <source>No MSA study of this gauge.</source>
            <translation>该量具没有 MSA 研究。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="151" />
            <source>No characteristics.</source>
            <translation>没有特性。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="291" />
            <source>No files.</source>
            <translation>没有文件。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="132" />
            <source>No gauges.</source>
            <translation>没有量具。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/laboratories.py" line="90" />
            <source>No inspection documents.</source>
            <translation>没有检验文件。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="207" />
            <source>No other site is enrolled.</source>
            <translation>未登记其他站点。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="188" />
            <source>No readings file given.</source>
            <translation>未提供读数文件。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="238" />
            <source>No record holds competing versions.</source>
            <translation>没有记录存在冲突版本。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="282" />
            <source>No reports.</source>
            <translation>没有报告。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="162" />
            <location filename="../../desktop_app/cli/parts.py" line="173" />
            <source>Nothing was imported.</source>
            <translation>未导入任何内容。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/retention.py" line="94" />
            <source>Others: 1 year after the end of production.</source>
            <translation>其他：生产结束后 1 年。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="141" />
            <source>PC {pc} ({name}) is removed from the plant: it signs nothing any more.</source>
            <translation>电脑 {pc}（{name}）已从工厂移除：它不再签署任何内容。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="84" />
            <source>Package {path} written: number {seq}, {revisions} revisions, {blobs} files, {size} bytes{target}.</source>
            <translation>数据包 {path} 已写入：编号 {seq}，{revisions} 个修订，{blobs} 个文件，{size} 字节{target}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="94" />
            <source>Package {seq} from {code} ({name}), made {at}.</source>
            <translation>来自 {code}（{name}）的数据包 {seq}，创建于 {at}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="233" />
            <source>Password for {user}: </source>
            <translation>{user} 的密码： </translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="81" />
            <source>Plant {code} ({name}) is set up in the database {where}; this PC's folder {folder} points at it.
Administrator: {admin}
Key fingerprint: {fp}
For each further PC: 'partdesk --user {admin} plant invite' here, then 'partdesk plant join --database-url URL --code CODE' there.</source>
            <translation>工厂 {code}（{name}）已在数据库 {where} 中建立；本机文件夹 {folder} 指向该数据库。
管理员：{admin}
密钥指纹：{fp}
每增加一台电脑：在本机运行 'partdesk --user {admin} plant invite'，然后在那台电脑上运行 'partdesk plant join --database-url URL --code CODE'。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="125" />
            <source>Plant {code} ({name}), database {where}, key fingerprint {fp}</source>
            <translation>工厂 {code}（{name}），数据库 {where}，密钥指纹 {fp}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="137" />
            <source>Public key of {code} written to {path}.
Fingerprint: {fp}
Read the fingerprint out to the other site's administrator by phone or give it on paper.</source>
            <translation>{code} 的公钥已写入 {path}。
指纹：{fp}
请通过电话向对方站点管理员宣读该指纹，或以书面形式交给对方。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="248" />
            <source>Repeat the new password: </source>
            <translation>再次输入新密码： </translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="226" />
            <source>Report {number} recorded: {verdict}.</source>
            <translation>报告 {number} 已记录：{verdict}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/core.py" line="157" />
            <source>Restored {file}.</source>
            <translation>已恢复 {file}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/core.py" line="128" />
            <location filename="../../desktop_app/cli/core.py" line="153" />
            <source>Restored {file}; the previous state is kept in {safety}.</source>
            <translation>已恢复 {file}；之前的状态保存在 {safety} 中。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="298" />
            <source>Saved {path}</source>
            <translation>已保存 {path}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="99" />
            <source>Sheet {sheet} (of {sheets}), header row {row}</source>
            <translation>工作表 {sheet}（共 {sheets}），标题行 {row}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/deviations.py" line="107" />
            <source>Signed and recorded: deviation {number} is {status}.</source>
            <translation>已签署并记录：偏差许可 {number} 为 {status}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="163" />
            <source>Signed and recorded: {submission} is {state}.</source>
            <translation>已签署并记录：{submission} 为 {state}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="170" />
            <source>Site {code} ({kind}) may write here: {types}.</source>
            <translation>站点 {code}（{kind}）可在此写入：{types}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="148" />
            <source>Site {code} ({name}) is enrolled; fingerprint {fp}.</source>
            <translation>站点 {code}（{name}）已登记；指纹 {fp}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/core.py" line="75" />
            <source>Site {code} ({name}) is set up in {folder}.
Administrator: {admin}
Key fingerprint: {fp}</source>
            <translation>站点 {code}（{name}）已在 {folder} 中设置完成。
管理员：{admin}
密钥指纹：{fp}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="151" />
            <source>Source</source>
            <translation>来源</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="263" />
            <source>Superseded by a correction.</source>
            <translation>已被更正取代。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="249" />
            <source>Supplier {code} registered.</source>
            <translation>供应商 {code} 已登记。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="193" />
            <source>Suppliers to create: {names}</source>
            <translation>将新建的供应商：{names}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="185" />
            <source>The key of site {code} is retired: new packages from it are refused.</source>
            <translation>站点 {code} 的密钥已停用：其新数据包将被拒绝。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/people.py" line="110" />
            <source>The password of {user} was reset.</source>
            <translation>{user} 的密码已重置。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="113" />
            <source>This PC is enrolled in plant {code} ({name}); its folder {folder} points at the database {where}. Sign in as usual: partdesk --user NAME ...</source>
            <translation>本机已加入工厂 {code}（{name}）；其文件夹 {folder} 指向数据库 {where}。照常登录：partdesk --user 用户名 ...</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="98" />
            <source>This package was imported before; nothing changes.</source>
            <translation>此数据包此前已导入；不做任何更改。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="281" />
            <source>Unexpected error ({kind}).</source>
            <translation>意外错误（{kind}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="216" />
            <source>Valid package no. {seq} from {code}{retired}, made {at}: signature, hashes and {revisions} revisions checked, {blobs} files.</source>
            <translation>来自 {code}{retired} 的第 {seq} 号数据包有效，创建于 {at}：已校验签名、哈希值和 {revisions} 条修订，{blobs} 个文件。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="267" />
            <source>Vehicle model {code} registered.</source>
            <translation>车型 {code} 已登记。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="261" />
            <source>Verdict: {verdict}</source>
            <translation>判定：{verdict}</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/diagnostics.py" line="40" />
            <source>Verify found %Ln problems; they are listed in verify.txt.</source>
            <translation>
                <numerusform>检查发现 %Ln 个问题；详见 verify.txt。</numerusform>
            </translation>
        </message>
        <message>
            <source>Verify found {count} problems; they are listed in verify.txt.</source>
            <translation type="vanished">检查发现 {count} 个问题；详见 verify.txt。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="127" />
            <source>Warning: {sentence}</source>
            <translation>警告：{sentence}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="165" />
            <source>Without the interaction (pooled):</source>
            <translation>不含交互作用（已合并）：</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/evidence.py" line="165" />
            <source>Would add %Ln characteristics.</source>
            <translation>
                <numerusform>将添加 %Ln 个特性。</numerusform>
            </translation>
        </message>
        <message>
            <source>Would add {n} characteristics.</source>
            <translation type="vanished">将添加 {n} 个特性。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="86" />
            <location filename="../../desktop_app/cli/psw.py" line="58" />
            <source>Wrote {file}.</source>
            <translation>已写入 {file}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="195" />
            <source>enrolled</source>
            <translation>已登记</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="130" />
            <source>enrolled {date} by {by}</source>
            <translation>{date} 由 {by} 加入</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="74" />
            <source>expires within 30 days</source>
            <translation>30 天内到期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/laboratories.py" line="87" />
            <source>heat</source>
            <translation>炉号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="116" />
            <location filename="../../desktop_app/cli/msa.py" line="99" />
            <source>invalid</source>
            <translation>无效</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="196" />
            <source>not enrolled</source>
            <translation>未登记</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/retention.py" line="57" />
            <source>production ended {ended}, kept until {until} (%Ln years{who})</source>
            <translation>
                <numerusform>生产已于 {ended} 结束，保存至 {until}（%Ln 年{who}）</numerusform>
            </translation>
        </message>
        <message>
            <source>production ended {ended}, kept until {until} ({years} year(s){who})</source>
            <translation type="vanished">生产已于 {ended} 结束，保存至 {until}（{years} 年{who}）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="129" />
            <source>removed {date}</source>
            <translation>{date} 已移除</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="195" />
            <source>retired</source>
            <translation>已停用</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/deviations.py" line="61" />
            <source>until {date}</source>
            <translation>至 {date}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="197" />
            <source>{code}  {name} ({kind}), {state}; fingerprint {fp}
      sent: no. {sent} {sent_at}; received: no. {got} {got_at}; {pending} revisions not sent yet</source>
            <translation>{code}  {name}（{kind}），{state}；指纹 {fp}
      已发送：第 {sent} 号 {sent_at}；已接收：第 {got} 号 {got_at}；{pending} 个修订尚未发送</translation>
        </message>
        <message>
            <source>{count} parts written to {file}</source>
            <translation type="vanished">{count} 个零件已写入 {file}</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/retention.py" line="83" />
            <source>{customer}: records kept %Ln years after the end of production.</source>
            <translation>
                <numerusform>{customer}：记录在生产结束后保存 %Ln 年。</numerusform>
            </translation>
        </message>
        <message>
            <source>{customer}: records kept {years} year(s) after the end of production.</source>
            <translation type="vanished">{customer}：记录在生产结束后保存 {years} 年。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="189" />
            <source>{file}: {new} new, {changed} changed, {unchanged} unchanged, {error} with errors</source>
            <translation>{file}：新增 {new}，修改 {changed}，未变 {unchanged}，出错 {error}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="132" />
            <source>{kind} {shape}; %GRR {grr} % of the total variation, {tolerance} % of the tolerance, ndc {ndc}: {verdict}</source>
            <translation>{kind} {shape}；%GRR 占总变差 {grr} %，占公差 {tolerance} %，ndc {ndc}：{verdict}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="126" />
            <source>{kind} {shape}; effectiveness {effectiveness} %, miss rate {miss} %, false alarm rate {false_alarm} %, kappa {kappa}: {verdict}</source>
            <translation>{kind} {shape}；有效性 {effectiveness} %，漏判率 {miss} %，误判率 {false_alarm} %，kappa {kappa}：{verdict}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/laboratories.py" line="75" />
            <source>{name}: accreditation {number} valid until {until}.</source>
            <translation>{name}：认可证书 {number} 有效期至 {until}。</translation>
        </message>
        <message>
            <source>{n} certificate(s)</source>
            <translation type="vanished">{n} 份证书</translation>
        </message>
        <message>
            <source>{n} deviation(s)</source>
            <translation type="vanished">{n} 项偏差许可</translation>
        </message>
        <message>
            <source>{n} laboratory(ies)</source>
            <translation type="vanished">{n} 个实验室</translation>
        </message>
        <message>
            <source>{n} part revision(s) out of production</source>
            <translation type="vanished">{n} 个零件修订版已停产</translation>
        </message>
        <message>
            <source>{n} record(s) past retention; none is deleted.</source>
            <translation type="vanished">{n} 条记录超过保存期限；均未删除。</translation>
        </message>
        <message>
            <source>{n} records now hold competing versions; see 'partdesk conflicts list'.</source>
            <translation type="vanished">现有 {n} 条记录存在冲突版本；请查看“partdesk conflicts list”。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/retention.py" line="73" />
            <source>{part} {revision}: records kept until {until}.</source>
            <translation>{part} {revision}：记录保存至 {until}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/laboratories.py" line="101" />
            <source>{report} is an EN 10204 {type} ({french}).</source>
            <translation>{report} 是 EN 10204 {type} 文件（{french}）。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/parts.py" line="205" />
            <source>{shown} of %Ln parts</source>
            <translation>
                <numerusform>显示 {shown} / 共 %Ln 个零件</numerusform>
            </translation>
        </message>
        <message>
            <source>{shown} of {total} parts</source>
            <translation type="vanished">显示 {shown} / 共 {total} 个零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/deviations.py" line="62" />
            <source>{used} of {limit} parts</source>
            <translation>{used} / {limit} 件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/people.py" line="91" />
            <source>{user} is disabled.</source>
            <translation>{user} 已停用。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/people.py" line="91" />
            <source>{user} is enabled.</source>
            <translation>{user} 已启用。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/people.py" line="82" />
            <source>{user} is now {role}.</source>
            <translation>{user} 现在的角色为{role}。</translation>
        </message>
    </context>
    <context>
        <name>ConflictsPage</name>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="211" />
            <source>(deleted)</source>
            <translation>（已删除）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="213" />
            <source>(shown until merged)</source>
            <translation>（合并前显示此版本）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="121" />
            <source>Conflicts</source>
            <translation>冲突</translation>
        </message>
        <message>
            <source>Each record below holds competing versions from different sites. Until someone merges them, the newest version is shown everywhere and approvals and printing wait. Choose, field by field, the value to keep.</source>
            <translation type="vanished">以下每条记录都有来自不同站点的冲突版本。在有人合并之前，各处显示最新版本，审批和打印暂停。请逐个字段选择要保留的值。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="126" />
            <source>Each record below holds competing versions from different sites. Until the site that created the record merges them, its own version is shown everywhere and approvals and printing wait. That site chooses, field by field, the value to keep.</source>
            <translation>以下每条记录都有来自不同站点的冲突版本。在创建该记录的站点将其合并之前，各处显示该站点自己的版本，审批和打印暂停。由该站点逐个字段选择要保留的值。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="206" />
            <source>Field</source>
            <translation>字段</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="215" />
            <source>Keep</source>
            <translation>保留</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="135" />
            <source>Merge</source>
            <translation>合并</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="272" />
            <source>Merged; the new version will travel with the next package.</source>
            <translation>已合并；新版本将随下一个数据包传送。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="137" />
            <source>No record holds competing versions: there is nothing to merge.</source>
            <translation>没有记录存在竞争版本：无需合并。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="133" />
            <source>Reason</source>
            <translation>原因</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="131" />
            <source>Record</source>
            <translation>记录</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="124" />
            <source>Records edited at two sites</source>
            <translation>在两个站点被编辑的记录</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="131" />
            <source>Sites</source>
            <translation>站点</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="132" />
            <source>Start from</source>
            <translation>起始版本</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="203" />
            <source>This record belongs to site {code}: only {code} can merge it, and its merge reaches you in its next package.</source>
            <translation>此记录属于站点 {code}：只有 {code} 可以合并，合并结果将随其下一个数据包送达您处。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="199" />
            <source>This record was created here: the versions from other sites are proposals, and you decide what to keep.</source>
            <translation>此记录在此创建：来自其他站点的版本仅为建议，由您决定保留哪些内容。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="131" />
            <source>Type</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="134" />
            <source>Why this is the right value</source>
            <translation>为何此值正确</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="236" />
            <source>{site}, {author} ({rev})</source>
            <translation>{site}，{author}（{rev}）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="208" />
            <source>{site}, {author}, {at}</source>
            <translation>{site}，{author}，{at}</translation>
        </message>
    </context>
    <context>
        <name>ControlChartWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="51" />
            <source>A control chart needs at least two readings (two subgroups).</source>
            <translation>控制图至少需要两个读数（两个子组）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="98" />
            <source>I</source>
            <translation>I</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="77" />
            <source>I-MR chart</source>
            <translation>I-MR 图</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="211" />
            <source>LCL</source>
            <translation>LCL</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="98" />
            <source>MR</source>
            <translation>MR</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="97" />
            <source>R</source>
            <translation>R</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="209" />
            <source>UCL</source>
            <translation>UCL</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="97" />
            <source>X̄</source>
            <translation>X̄</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="78" />
            <source>X̄-R chart (subgroups of {k})</source>
            <translation>X̄-R 图（子组大小 {k}）</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="86" />
            <source>not stable: %Ln points beyond the control limits</source>
            <translation>
                <numerusform>不稳定：%Ln 个点超出控制限</numerusform>
            </translation>
        </message>
        <message>
            <source>not stable: {count} point(s) beyond the control limits</source>
            <translation type="vanished">不稳定：{count} 个点超出控制限</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="85" />
            <source>stable: no point beyond the control limits</source>
            <translation>稳定：没有点超出控制限</translation>
        </message>
    </context>
    <context>
        <name>DamagedFolderDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/damaged_folder_dialog.py" line="100" />
            <source>An administrator of that backup signs in to restore it; the damaged database is kept aside, not deleted.</source>
            <translation>由该备份中的管理员登录以恢复它；损坏的数据库会被另行保存，不会删除。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/damaged_folder_dialog.py" line="97" />
            <source>PartDesk — Damaged data folder</source>
            <translation>PartDesk — 数据文件夹已损坏</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/damaged_folder_dialog.py" line="103" />
            <source>Password</source>
            <translation>密码</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/damaged_folder_dialog.py" line="105" />
            <source>Quit</source>
            <translation>退出</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/damaged_folder_dialog.py" line="104" />
            <source>Restore the newest backup</source>
            <translation>恢复最新的备份</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/damaged_folder_dialog.py" line="102" />
            <source>User name</source>
            <translation>用户名</translation>
        </message>
    </context>
    <context>
        <name>DashboardLists</name>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="117" />
            <source>(an earlier version of the step)</source>
            <translation>（该步骤的较早版本）</translation>
        </message>
        <message>
            <source>A milestone is still missed after its 12 months of grace: the supply programme is frozen until the rate is reached.</source>
            <translation type="vanished">里程碑在 12 个月宽限期后仍未达成：供货计划冻结，直至达到该比率。</translation>
        </message>
        <message>
            <source>A milestone is still missed after its {months} months of grace: the supply programme is frozen until the rate is reached.</source>
            <translation type="vanished">宽限 {months} 个月后里程碑仍未达成：供货计划冻结，直至达到比率。</translation>
        </message>
        <message>
            <source>A milestone was missed: 12 more months with the supply programme cut by 25 % (decree 24-159 art. 30).</source>
            <translation type="vanished">里程碑未达成：再给予 12 个月，期间供货计划削减 25 %（第 24-159 号法令第 30 条）。</translation>
        </message>
        <message>
            <source>A milestone was missed: {months} more months with the supply programme cut by {cut} %.</source>
            <translation type="vanished">里程碑未达成：再给 {months} 个月，供货计划削减 {cut} %。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="44" />
            <source>A missed milestone opens {months} more months — {source}</source>
            <translation>未达成的里程碑开启 {months} 个月的宽限期 — {source}</translation>
        </message>
        <message>
            <source>APQP phase</source>
            <translation type="vanished">APQP 阶段</translation>
        </message>
        <message>
            <source>Acknowledged up to</source>
            <translation type="vanished">已确认至</translation>
        </message>
        <message>
            <source>Applied here at</source>
            <translation type="vanished">本地应用时间</translation>
        </message>
        <message>
            <source>Certificate</source>
            <translation type="vanished">证书</translation>
        </message>
        <message>
            <source>Code</source>
            <translation type="vanished">代码</translation>
        </message>
        <message>
            <source>Component</source>
            <translation type="vanished">组件</translation>
        </message>
        <message>
            <source>Contributory rate</source>
            <translation type="vanished">贡献率</translation>
        </message>
        <message>
            <source>Counts for</source>
            <translation type="vanished">计入比率</translation>
        </message>
        <message>
            <source>Date</source>
            <translation type="vanished">日期</translation>
        </message>
        <message>
            <source>Days late</source>
            <translation type="vanished">延迟天数</translation>
        </message>
        <message>
            <source>Days left</source>
            <translation type="vanished">剩余天数</translation>
        </message>
        <message>
            <source>Designation</source>
            <translation type="vanished">名称</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="46" />
            <source>During them the annual supply programme is cut by {cut} % — {source}</source>
            <translation>在此期间，年度供货计划削减 {cut} % — {source}</translation>
        </message>
        <message>
            <source>End of year {n}</source>
            <translation type="vanished">第 {n} 年末</translation>
        </message>
        <message>
            <source>Expires on</source>
            <translation type="vanished">到期日</translation>
        </message>
        <message>
            <source>Fact</source>
            <translation type="vanished">项目</translation>
        </message>
        <message>
            <source>Family</source>
            <translation type="vanished">族</translation>
        </message>
        <message>
            <source>Forecast</source>
            <translation type="vanished">预测</translation>
        </message>
        <message>
            <source>Forecast date</source>
            <translation type="vanished">预测日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="65" />
            <source>Forecast rate on {day}: {rate} for a target of {target}.</source>
            <translation>{day} 的预测比率：{rate}，目标 {target}。</translation>
        </message>
        <message>
            <source>Interim approvals expiring soon</source>
            <translation type="vanished">即将到期的临时批准</translation>
        </message>
        <message>
            <source>Interim approvals valid today that end within 60 days.</source>
            <translation type="vanished">今日有效且将在 60 天内到期的临时批准。</translation>
        </message>
        <message>
            <source>Key fingerprint</source>
            <translation type="vanished">密钥指纹</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation type="vanished">类型</translation>
        </message>
        <message>
            <source>Last change</source>
            <translation type="vanished">最近更改</translation>
        </message>
        <message>
            <source>Last package received</source>
            <translation type="vanished">最近收到的数据包</translation>
        </message>
        <message>
            <source>Last package sent</source>
            <translation type="vanished">最近发送的数据包</translation>
        </message>
        <message>
            <source>Local parts (share)</source>
            <translation type="vanished">本地零件（占比）</translation>
        </message>
        <message>
            <source>Made</source>
            <translation type="vanished">制造</translation>
        </message>
        <message>
            <source>Made by the site at</source>
            <translation type="vanished">对方站点创建时间</translation>
        </message>
        <message>
            <source>Milestone</source>
            <translation type="vanished">里程碑</translation>
        </message>
        <message>
            <source>Milestones of {model}</source>
            <translation type="vanished">{model} 的里程碑</translation>
        </message>
        <message>
            <source>Model</source>
            <translation type="vanished">车型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="55" />
            <source>No freeze at the end — {source}</source>
            <translation>结束时不冻结 — {source}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="129" />
            <source>Not signed yet.</source>
            <translation>尚未签署。</translation>
        </message>
        <message>
            <source>Owner</source>
            <translation type="vanished">负责人</translation>
        </message>
        <message>
            <source>Part</source>
            <translation type="vanished">零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="97" />
            <source>Planned vehicles: {volumes}</source>
            <translation>计划车辆数：{volumes}</translation>
        </message>
        <message>
            <source>Planned volumes</source>
            <translation type="vanished">计划产量</translation>
        </message>
        <message>
            <source>Rate on its date</source>
            <translation type="vanished">到期日比率</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="67" />
            <source>Rate on {day}: {rate} for a target of {target}.</source>
            <translation>{day} 的比率：{rate}，目标 {target}。</translation>
        </message>
        <message>
            <source>Rate reached</source>
            <translation type="vanished">达成比率</translation>
        </message>
        <message>
            <source>Reference</source>
            <translation type="vanished">依据</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="111" />
            <source>Required evidence: {items}</source>
            <translation>所需证据：{items}</translation>
        </message>
        <message>
            <source>Revisions not yet sent</source>
            <translation type="vanished">尚未发送的修订</translation>
        </message>
        <message>
            <source>Set</source>
            <translation type="vanished">总成</translation>
        </message>
        <message>
            <source>Sets of {model}</source>
            <translation type="vanished">{model} 的总成</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="120" />
            <source>Signed for the {party} by {name} on {day}: {comment}</source>
            <translation>{name} 于 {day} 代表{party}签署：{comment}</translation>
        </message>
        <message>
            <source>Site</source>
            <translation type="vanished">站点</translation>
        </message>
        <message>
            <source>Site {code}</source>
            <translation type="vanished">站点 {code}</translation>
        </message>
        <message>
            <source>State</source>
            <translation type="vanished">状态</translation>
        </message>
        <message>
            <source>Status</source>
            <translation type="vanished">状态</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="73" />
            <source>Status set by hand: {reason}</source>
            <translation>人工设定的状态：{reason}</translation>
        </message>
        <message>
            <source>Step</source>
            <translation type="vanished">步骤</translation>
        </message>
        <message>
            <source>Step {code}</source>
            <translation type="vanished">步骤 {code}</translation>
        </message>
        <message>
            <source>Steps: {n}</source>
            <translation type="vanished">步骤：{n}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="53" />
            <source>Still missed at the end, the supply programme is frozen until the rate is reached — {source}</source>
            <translation>结束时仍未达成，供货计划冻结直至达到比率 — {source}</translation>
        </message>
        <message>
            <source>Submission</source>
            <translation type="vanished">提交</translation>
        </message>
        <message>
            <source>Submissions: {n}</source>
            <translation type="vanished">提交：{n}</translation>
        </message>
        <message>
            <source>Submissions: {state}</source>
            <translation type="vanished">提交：{state}</translation>
        </message>
        <message>
            <source>Target</source>
            <translation type="vanished">目标</translation>
        </message>
        <message>
            <source>Target date</source>
            <translation type="vanished">目标日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="70" />
            <source>Target reached (or expected) on {day}.</source>
            <translation>目标已于 {day} 达成（或预计达成）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="49" />
            <source>The cut ends as soon as the rate is reached — {source}</source>
            <translation>一旦达到比率，削减即结束 — {source}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="51" />
            <source>The cut lasts the whole period, even once the rate is reached — {source}</source>
            <translation>即使达到比率，削减也持续整个期间 — {source}</translation>
        </message>
        <message>
            <source>The forecast reaches the next milestone in time.</source>
            <translation type="vanished">预测可按时达成下一个里程碑。</translation>
        </message>
        <message>
            <source>The forecast stays below the next milestone's target on its date.</source>
            <translation type="vanished">预测在下一个里程碑日期仍低于其目标。</translation>
        </message>
        <message>
            <source>Title</source>
            <translation type="vanished">标题</translation>
        </message>
        <message>
            <source>Value</source>
            <translation type="vanished">值</translation>
        </message>
        <message>
            <source>Verdict</source>
            <translation type="vanished">判定</translation>
        </message>
        <message>
            <source>Why</source>
            <translation type="vanished">原因</translation>
        </message>
        <message>
            <source>forecast met</source>
            <translation type="vanished">预计达成</translation>
        </message>
        <message>
            <source>forecast short</source>
            <translation type="vanished">预计未达成</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="102" />
            <source>imported</source>
            <translation>进口</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="101" />
            <source>local</source>
            <translation>本地</translation>
        </message>
        <message>
            <source>met</source>
            <translation type="vanished">已达成</translation>
        </message>
        <message>
            <source>missed</source>
            <translation type="vanished">未达成</translation>
        </message>
        <message>
            <source>not signed yet</source>
            <translation type="vanished">尚未签署</translation>
        </message>
        <message>
            <source>{code} — {title}. Target {rate} by {day}; status {status}. Evidence: {evidence}. Sign-offs: {signoffs}.</source>
            <translation type="vanished">{code} — {title}。目标：{day} 前达到 {rate}；状态：{status}。证据：{evidence}。签署：{signoffs}。</translation>
        </message>
        <message>
            <source>{model}: {rate} on {day} — {n} of {total} sets count. The reference list totals {listed}.</source>
            <translation type="vanished">{model}：{day} 为 {rate} — {total} 个总成中有 {n} 个计入。参考清单合计 {listed}。</translation>
        </message>
    </context>
    <context>
        <name>DashboardPage</name>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="166" />
            <source>Certification pipeline</source>
            <translation>认证进度</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="158" />
            <source>Dashboard</source>
            <translation>仪表板</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="226" />
            <source>Ending within 60 days: {n}</source>
            <translation>60 天内到期：{n}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="162" />
            <source>Integration rate today</source>
            <translation>当前本地化率</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="167" />
            <source>Interim approvals expiring soon</source>
            <translation>即将到期的临时批准</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="169" />
            <source>Last package received from each site</source>
            <translation>各站点最近收到的数据包</translation>
        </message>
        <message>
            <source>Late roadmap steps</source>
            <translation type="vanished">延迟的路线图步骤</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="217" />
            <source>Late steps: {n}</source>
            <translation>延迟步骤：{n}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="266" />
            <source>Next: ≥ {target} % on {day} — forecast {forecast} %</source>
            <translation>下一个：{day} 达到 ≥ {target} % — 预测 {forecast} %</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="269" />
            <source>No milestone ahead</source>
            <translation>后续无里程碑</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="250" />
            <source>No other site enrolled.</source>
            <translation>未登记其他站点。</translation>
        </message>
        <message>
            <source>No vehicle model yet.</source>
            <translation type="vanished">尚无车型。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="202" />
            <source>No vehicle model yet: add one with “Suppliers and vehicle models” in the checklist above, or on the Parts page.</source>
            <translation>尚无车型：请通过上方清单中的“供应商和车型”或在“零件”页面添加。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="283" />
            <source>Parts approved today: {approved} of {registered}</source>
            <translation>今日已批准零件：{approved} / {registered}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="163" />
            <source>Planned and forecast rate, with the regulatory milestones</source>
            <translation>计划与预测比率及法规里程碑</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="168" />
            <source>Record a delivery…</source>
            <translation>记录交货…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="165" />
            <source>Roadmap steps</source>
            <translation>路线图步骤</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="290" />
            <source>Rules: {months} months of grace, supply cut by {cut} %, {ends}, {freeze}.</source>
            <translation>规则：宽限 {months} 个月，供货削减 {cut} %，{ends}，{freeze}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="262" />
            <source>Sets that count and why the others do not</source>
            <translation>计入的总成及其他总成未计入的原因</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="285" />
            <source>The parts of this model that hold a valid PPAP approval today, on the Parts page</source>
            <translation>该车型今日持有有效 PPAP 批准的零件（在“零件”页面）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="161" />
            <source>Where each vehicle model stands</source>
            <translation>各车型现状</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="347" />
            <source>certificates of interim approvals ending within {days} days</source>
            <translation>{days} 天内到期的临时批准证书</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="293" />
            <source>cut ends when the rate is reached</source>
            <translation>达到比率即结束削减</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="294" />
            <source>cut lasts the whole grace</source>
            <translation>削减持续整个宽限期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="295" />
            <source>no freeze</source>
            <translation>不冻结</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="365" />
            <source>parts of {model} approved on {day}</source>
            <translation>{model} 在 {day} 已批准的零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="357" />
            <source>site {code} — {name}</source>
            <translation>站点 {code} — {name}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="341" />
            <source>step {code} of {model}</source>
            <translation>{model} 的步骤 {code}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="352" />
            <source>submissions in the state “{state}”</source>
            <translation>状态为“{state}”的提交</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="275" />
            <source>supply at {share} of plan</source>
            <translation>供货为计划的 {share}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="332" />
            <source>the late roadmap steps of every model ({n} on the dashboard)</source>
            <translation>所有车型延迟的路线图步骤（仪表板上 {n} 个）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="319" />
            <source>the reference list of {model}: {n} of {total} sets count</source>
            <translation>{model} 的参考清单：{total} 个总成中 {n} 个计入</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="326" />
            <source>the regulatory milestones of {model}: {state}</source>
            <translation>{model} 的法规里程碑：{state}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="295" />
            <source>then frozen</source>
            <translation>随后冻结</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="274" />
            <source>until {day}</source>
            <translation>至 {day}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="245" />
            <source>{code}: nothing received yet</source>
            <translation>{code}：尚未收到任何数据包</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="242" />
            <source>{code}: package #{seq} received {at}</source>
            <translation>{code}：于 {at} 收到数据包 #{seq}</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="230" />
            <source>{part}: until {day} (%Ln days)</source>
            <translation>
                <numerusform>{part}：至 {day}（%Ln 天）</numerusform>
            </translation>
        </message>
        <message>
            <source>{part}: until {day} ({n} days)</source>
            <translation type="vanished">{part}：至 {day}（{n} 天）</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="234" />
            <source>{part}: {shipped} of %Ln pieces shipped ({left} left)</source>
            <translation>
                <numerusform>{part}：已发运 {shipped} / %Ln 件（剩余 {left}）</numerusform>
            </translation>
        </message>
        <message>
            <source>{part}: {shipped} of {limit} pieces shipped ({n} left)</source>
            <translation type="vanished">{part}：已发运 {shipped} / {limit} 件（剩余 {n}）</translation>
        </message>
    </context>
    <context>
        <name>DeliveryDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/delivery_dialog.py" line="37" />
            <source>Delivery note</source>
            <translation>送货单</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/delivery_dialog.py" line="34" />
            <source>Part</source>
            <translation>零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/delivery_dialog.py" line="35" />
            <source>Pieces shipped</source>
            <translation>已发运件数</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/delivery_dialog.py" line="39" />
            <source>Record a delivery</source>
            <translation>记录交货</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/delivery_dialog.py" line="36" />
            <source>Shipped on</source>
            <translation>发运日期</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/delivery_dialog.py" line="25" />
            <source>{part} — {certificate}: %Ln pieces left</source>
            <translation>
                <numerusform>{part} — {certificate}：剩余 %Ln 件</numerusform>
            </translation>
        </message>
        <message>
            <source>{part} — {certificate}: {n} left</source>
            <translation type="vanished">{part} — {certificate}：剩余 {n}</translation>
        </message>
    </context>
    <context>
        <name>Deviations</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="169" />
            <source>%Ln deviations</source>
            <translation>
                <numerusform>%Ln 项偏差许可</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/deviations.py" line="31" />
            <source>Approved, valid</source>
            <translation>已批准，有效</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="147" />
            <source>Approve…</source>
            <translation>批准…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/deviations.py" line="30" />
            <source>Awaiting the customer</source>
            <translation>等待客户</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/deviations.py" line="33" />
            <source>Changed since its approval</source>
            <translation>批准后已更改</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="105" />
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="74" />
            <source>Characteristics</source>
            <translation>特性</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="184" />
            <source>Choose a deviation first.</source>
            <translation>请先选择一项偏差许可。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="158" />
            <source>Choose a part revision.</source>
            <translation>请选择零件修订版。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="257" />
            <source>Comment</source>
            <translation>备注</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="81" />
            <source>Customer's decision</source>
            <translation>客户决定</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="108" />
            <source>Customer's number (empty: the next DEV number)</source>
            <translation>客户编号（留空：下一个 DEV 编号）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="70" />
            <source>Deviation</source>
            <translation>偏差许可</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="246" />
            <source>Deviation {number} approved</source>
            <translation>偏差许可 {number} 已批准</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="247" />
            <source>Deviation {number} rejected</source>
            <translation>偏差许可 {number} 已拒绝</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="205" />
            <source>Deviation {number}: {status}.</source>
            <translation>偏差许可 {number}：{status}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="239" />
            <source>Electronic signature — approve a deviation</source>
            <translation>电子签名 — 批准偏差许可</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="241" />
            <source>Electronic signature — reject a deviation</source>
            <translation>电子签名 — 拒绝偏差许可</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/deviations.py" line="34" />
            <source>Expired</source>
            <translation>已过期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="113" />
            <source>Limited by an expiry date</source>
            <translation>受到期日期限制</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="77" />
            <source>Limited to</source>
            <translation>限于</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="72" />
            <source>Part</source>
            <translation>零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="104" />
            <source>Part revision</source>
            <translation>零件修订版</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="248" />
            <source>Part {part} {revision}, characteristic(s) {numbers}</source>
            <translation>零件 {part} {revision}，特性 {numbers}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="150" />
            <source>Parts shipped under the deviation</source>
            <translation>按偏差许可发运的零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="258" />
            <source>Password</source>
            <translation>密码</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="107" />
            <source>Quantity (0: none)</source>
            <translation>数量（0：无）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/deviations.py" line="35" />
            <source>Quantity used up</source>
            <translation>数量已用完</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="256" />
            <source>Reason</source>
            <translation>原因</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="149" />
            <source>Record parts shipped</source>
            <translation>记录已发运零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/deviations.py" line="32" />
            <source>Rejected</source>
            <translation>已拒绝</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="148" />
            <source>Reject…</source>
            <translation>拒绝…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="114" />
            <source>Request</source>
            <translation>申请</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="103" />
            <source>Request a deviation</source>
            <translation>申请偏差许可</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="146" />
            <source>Request a deviation…</source>
            <translation>申请偏差许可…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="104" />
            <source>Search parts</source>
            <translation>搜索零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="259" />
            <source>Sign</source>
            <translation>签署</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="272" />
            <source>Signing…</source>
            <translation>正在签署…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="78" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="107" />
            <source>Valid until</source>
            <translation>有效期至</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="106" />
            <source>What it allows, how the product is contained</source>
            <translation>它允许什么，产品如何隔离</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="242" />
            <source>Your signature is recorded with your name, this meaning, the time and the exact revision of the request. Type your password to sign.</source>
            <translation>您的签名将与您的姓名、此含义、时间以及申请的确切修订版一起记录。请输入密码以签署。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="252" />
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="51" />
            <source>until {date}</source>
            <translation>至 {date}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="254" />
            <source>{limit} parts</source>
            <translation>{limit} 件</translation>
        </message>
        <message>
            <source>{n} deviation(s)</source>
            <translation type="vanished">{n} 项偏差许可</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="53" />
            <source>{used} of {limit} parts</source>
            <translation>{used} / {limit} 件</translation>
        </message>
    </context>
    <context>
        <name>EnrolDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="315" />
            <source>Ask the other site's administrator for their key file and, separately, by phone or on paper, for its fingerprint. Type the fingerprint you were told: the key is enrolled only if they match.</source>
            <translation>请向对方站点管理员索取其密钥文件，并另行通过电话或书面方式获取其指纹。请输入对方告知的指纹：只有二者一致时才会登记该密钥。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="320" />
            <source>Choose…</source>
            <translation>选择…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="313" />
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="346" />
            <source>Enrol a site</source>
            <translation>登记站点</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="319" />
            <source>Fingerprint</source>
            <translation>指纹</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="322" />
            <source>It may write here:</source>
            <translation>该站点可在此写入：</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="318" />
            <source>Key file</source>
            <translation>密钥文件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="347" />
            <source>Site key files (*.partdesk-key *.json)</source>
            <translation>站点密钥文件 (*.partdesk-key *.json)</translation>
        </message>
    </context>
    <context>
        <name>Errors</name>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="281" />
            <source>"{text}" is not a K-field (K and four digits, such as K2110/1).</source>
            <translation>“{text}”不是 K 字段（K 加四位数字，例如 K2110/1）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="59" />
            <source>'Restore the newest backup' brings back the newest verified backup, {backup}</source>
            <translation>“恢复最新的备份”会恢复最新的已验证备份 {backup}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="56" />
            <source>'partdesk restore --latest' brings back the newest verified backup, {backup}</source>
            <translation>“partdesk restore --latest”会恢复最新的已验证备份 {backup}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="128" />
            <location filename="../../desktop_app/services/parts.py" line="230" />
            <source>'{value}' is not a date (YYYY-MM-DD).</source>
            <translation>“{value}”不是日期（YYYY-MM-DD）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="113" />
            <source>'{value}' is not a kind of set; use set, subset or accessory.</source>
            <translation>“{value}”不是总成类型；请使用 set、subset 或 accessory。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="82" />
            <source>'{value}' is not a period; write 2027, 2027-Q1 or 2027-03.</source>
            <translation>“{value}”不是有效期间；请写成 2027、2027-Q1 或 2027-03。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="234" />
            <location filename="../../desktop_app/domain/roadmap.py" line="237" />
            <source>'{value}' is not a step status.</source>
            <translation>“{value}”不是步骤状态。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="154" />
            <source>'{value}' is not yes or no.</source>
            <translation>“{value}”不是“是”或“否”。</translation>
        </message>
        <message>
            <source>'{value}'{where} is not a kind of set; use set, subset or accessory.</source>
            <translation type="vanished">“{value}”{where}不是总成类型；请使用 set、subset 或 accessory。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="92" />
            <source>A 3.2 certificate (certificat de réception 3.2) is also validated by the purchaser's authorised representative or the inspector designated by official regulations: name them.</source>
            <translation>3.2 证书（certificat de réception 3.2）还须由买方授权代表或官方法规指定的检验员确认：请填写其姓名。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification.py" line="337" />
            <source>A PPAP level is 1 to 5.</source>
            <translation>PPAP 等级为 1 到 5。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="185" />
            <source>A characteristic needs a lower limit, an upper limit or both.</source>
            <translation>特性需要下限、上限或两者。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="165" />
            <source>A characteristic needs a number of 1 to 20 characters (the balloon).</source>
            <translation>特性需要 1 到 20 个字符的编号（气泡号）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="111" />
            <source>A component needs a name.</source>
            <translation>组件需要名称。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="230" />
            <source>A correction needs a reason.</source>
            <translation>更正需要说明原因。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="297" />
            <source>A correction of report {number} must be for the same part.</source>
            <translation>报告 {number} 的更正必须针对同一零件。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification.py" line="213" />
            <source>A customer choice is S (submit) or R (retain) for a known element; {element} is not.</source>
            <translation>客户选择须为已知要素的 S（提交）或 R（保留）；{element} 不是。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deliveries.py" line="73" />
            <source>A delivery is a whole number of pieces, 1 or more, not '{value}'.</source>
            <translation>交货是整数件数，1 或以上，而不是“{value}”。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deliveries.py" line="79" />
            <source>A delivery on {day} is in the future; record it once shipped.</source>
            <translation>{day} 的交货在未来；请在发运后再记录。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="195" />
            <source>A deviation is limited by an expiry date, a quantity or both.</source>
            <translation>偏差许可受到期日期、数量或两者限制。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="187" />
            <source>A deviation names at least one characteristic it allows.</source>
            <translation>偏差许可至少列出一个它允许的特性。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="191" />
            <source>A deviation says what it allows and how the product is contained.</source>
            <translation>偏差许可说明它允许什么以及产品如何隔离。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="222" />
            <source>A family code uses letters, digits and underscores only (at most 40).</source>
            <translation>系列代码只能使用字母、数字和下划线（最多 40 个）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/gauges.py" line="75" />
            <source>A gauge needs an identifier of 1 to 40 characters.</source>
            <translation>量具需要 1 到 40 个字符的标识。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="105" />
            <source>A join code is valid for 1 to {most} hours.</source>
            <translation>加入码的有效期为 1 至 {most} 小时。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/revisions.py" line="76" />
            <source>A key at {path} is not text.</source>
            <translation>{path} 处的键不是文本。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="171" />
            <source>A measurement system study needs at least {min} operators; the readings name {count}.</source>
            <translation>测量系统研究至少需要 {min} 名操作员；读数中只有 {count} 名。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="176" />
            <source>A measurement system study needs at least {min} parts; the readings name {count}.</source>
            <translation>测量系统研究至少需要 {min} 个零件；读数中只有 {count} 个。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="182" />
            <source>A measurement system study needs at least {min} trials by every operator on every part; the readings hold {count}.</source>
            <translation>测量系统研究要求每名操作员对每个零件至少测量 {min} 次；读数中只有 {count} 次。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/conflicts.py" line="126" />
            <location filename="../../desktop_app/storage/revisions.py" line="343" />
            <source>A merge needs a reason.</source>
            <translation>合并需要说明原因。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="68" />
            <source>A milestone falls 1 to 30 years after approval, not '{value}'.</source>
            <translation>里程碑应在批准后 1 到 30 年，而不是“{value}”。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts.py" line="134" />
            <source>A new drawing revision needs a revision other than {revision}.</source>
            <translation>新图纸版本需要不同于 {revision} 的版本号。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="380" />
            <source>A part cannot go from {old} to {new}.</source>
            <translation>零件不能从 {old} 变为 {new}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/integration.py" line="252" />
            <source>A part's share of its set must be above 0 %.</source>
            <translation>零件在其总成中的占比必须大于 0 %。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="153" />
            <source>A password has at least {n} characters.</source>
            <translation>密码至少需要 {n} 个字符。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="159" />
            <source>A password must differ from the user name.</source>
            <translation>密码不能与用户名相同。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/people.py" line="305" />
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="42" />
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="29" />
            <source>A person needs a full name.</source>
            <translation>人员需要全名。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="62" />
            <source>A plant shares one PostgreSQL database: give its address with --database-url postgresql+psycopg://USER:PASSWORD@SERVER/DATABASE.</source>
            <translation>一个工厂共用一个 PostgreSQL 数据库：请用 --database-url postgresql+psycopg://USER:PASSWORD@SERVER/DATABASE 指定其地址。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="150" />
            <source>A reading of trial {trial} names no operator or no part; every reading names both.</source>
            <translation>第 {trial} 次测量的某个读数没有操作员或零件；每个读数都须注明两者。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/roadmap_report.py" line="79" />
            <source>A report is written as .xlsx or .pdf, not {suffix}.</source>
            <translation>报告须写为 .xlsx 或 .pdf，而不是 {suffix}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/retention.py" line="139" />
            <source>A retention period is 1 to {max} years after the end of production.</source>
            <translation>保存期限为生产结束后 1 至 {max} 年。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/revisions.py" line="253" />
            <source>A revision is malformed ({detail}).</source>
            <translation>某个修订格式错误（{detail}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="161" />
            <source>A roadmap step needs a code.</source>
            <translation>路线图步骤需要代码。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="147" />
            <source>A set needs a code.</source>
            <translation>总成需要代码。</translation>
        </message>
        <message>
            <source>A set needs a code{where}.</source>
            <translation type="vanished">总成需要代码{where}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="131" />
            <source>A signed batch in the package is malformed (line {line}: {detail}).</source>
            <translation>数据包中的某个签名批次格式错误（第 {line} 行：{detail}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="181" />
            <source>A site code is 2 to 8 letters or digits, such as MSR.</source>
            <translation>站点代码为 2 到 8 个字母或数字，例如 MSR。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/site.py" line="82" />
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="41" />
            <source>A site needs a name.</source>
            <translation>站点需要名称。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="240" />
            <source>A status set by hand on step {code} needs a reason; without one the status is computed from the integration rate.</source>
            <translation>步骤 {code} 人工设定的状态需要理由；没有理由时，状态由集成率计算得出。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa.py" line="219" />
            <location filename="../../desktop_app/services/msa_sheets.py" line="93" />
            <source>A study holds at most {limit} readings; the sheet has {count}.</source>
            <translation>一项研究最多 {limit} 个读数；该表有 {count} 个。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa.py" line="216" />
            <source>A study needs its readings.</source>
            <translation>研究需要读数。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="331" />
            <source>A subgroup size is between 1 and 10.</source>
            <translation>子组大小在 1 到 10 之间。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification.py" line="280" />
            <source>A submission that is {state} cannot be edited.</source>
            <translation>处于 {state} 状态的提交不能编辑。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="138" />
            <source>A submission that is {state} cannot be {action}.</source>
            <translation>处于 {state} 状态的提交不能{action}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="137" />
            <source>A user name is 2 to 32 letters, digits, dots, dashes or underscores.</source>
            <translation>用户名为 2 到 32 个字母、数字、点、连字符或下划线。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="81" />
            <source>A {type} ({french}) is a specific inspection of the delivered material: it names the heat number.</source>
            <translation>{type}（{french}）是对所交付材料的专门检验：须注明炉号。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="101" />
            <source>A {type} ({french}) is issued by the manufacturer without an inspection representative; record a 3.1 for a specific inspection.</source>
            <translation>{type}（{french}）由制造商出具，无检验代表；专门检验请记录 3.1。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="86" />
            <source>A {type} ({french}) is validated by the manufacturer's authorised inspection representative, independent of manufacturing: name them.</source>
            <translation>{type}（{french}）由制造商独立于生产的授权检验代表确认：请填写其姓名。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="30" />
            <source>Access to {path} was denied (the file or its folder is read-only or belongs to another account), and nothing was changed.</source>
            <translation>访问 {path} 被拒绝（该文件或其文件夹为只读，或属于其他帐户），未作任何更改。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="73" />
            <source>An EN 10204 inspection document is of type 2.1, 2.2, 3.1 or 3.2.</source>
            <translation>EN 10204 检验文件的类型为 2.1、2.2、3.1 或 3.2。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/laboratories.py" line="149" />
            <source>An ISO/IEC 17025 accreditation has an expiry date.</source>
            <translation>ISO/IEC 17025 认可有到期日期。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa_sheets.py" line="100" />
            <source>An attribute agreement sheet needs a reference column: the right decision (OK or NG) for each part.</source>
            <translation>计数型一致性研究表需要一列基准：每个零件的正确判定（OK 或 NG）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="113" />
            <source>An interim approval is limited by an expiry date, a quantity or both.</source>
            <translation>临时批准须以到期日期、数量或两者为限。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="126" />
            <source>An interim approval needs the supplier's corrective action plan.</source>
            <translation>临时批准需要供应商的纠正措施计划。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="154" />
            <source>An operator or a part is named in at most {limit} characters.</source>
            <translation>操作员或零件名称最多 {limit} 个字符。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/backup.py" line="71" />
            <source>Backups of a server database are made by the server's own tools.</source>
            <translation>服务器数据库的备份由服务器自身的工具完成。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="107" />
            <source>Cancelled; nothing was changed.</source>
            <translation>已取消；未做任何更改。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certificates.py" line="69" />
            <source>Certificate {number} cannot be printed: its submission was edited at two sites and must be merged first.</source>
            <translation>证书 {number} 无法打印：其提交在两个站点被编辑，须先合并。</translation>
        </message>
        <message>
            <source>Certificate {number} cannot be printed: the submission was edited after it was signed and needs re-approval.</source>
            <translation type="vanished">证书 {number} 无法打印：提交在签署后被编辑，需要重新批准。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certificates.py" line="75" />
            <source>Certificate {number} carries this site's code but was not issued here; it is not printed.</source>
            <translation>证书 {number} 带有本站点的代码，但并非在此签发；不予打印。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certificates.py" line="78" />
            <source>Certificate {number} is not printed: its record was not written by site {site}, whose number it carries.</source>
            <translation>证书 {number} 不予打印：其记录并非由其编号所属的站点 {site} 写入。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certificates.py" line="81" />
            <source>Certificate {number} is not printed: its seal does not verify with the key of site {site} enrolled here.</source>
            <translation>证书 {number} 不予打印：其封签无法通过此处登记的站点 {site} 密钥验证。</translation>
        </message>
        <message>
            <source>Certificate {number} is revoked; a revoked certificate is never printed.</source>
            <translation type="vanished">证书 {number} 已撤销；已撤销的证书不会被打印。</translation>
        </message>
        <message>
            <source>Certificate {number} was superseded by a later decision; print the current certificate instead.</source>
            <translation type="vanished">证书 {number} 已被后续决定取代；请打印当前有效的证书。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/deviations.py" line="89" />
            <location filename="../../desktop_app/services/deviations.py" line="214" />
            <source>Characteristic {characteristic} is not a characteristic of this part revision.</source>
            <translation>特性 {characteristic} 不是该零件修订版的特性。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="214" />
            <source>Characteristic {number} ({description}) has no dimensional result in the linked evidence.</source>
            <translation>特性 {number}（{description}）在关联证据中没有尺寸结果。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="72" />
            <location filename="../../desktop_app/services/evidence.py" line="109" />
            <location filename="../../desktop_app/services/evidence.py" line="135" />
            <source>Characteristic {number} already exists on this part.</source>
            <translation>该零件上已存在特性 {number}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="322" />
            <source>Characteristic {number} appears twice in the report.</source>
            <translation>特性 {number} 在报告中出现了两次。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="161" />
            <source>Characteristic {number} counts defects per part on this part, but the file counts nonconforming parts (K0021).</source>
            <translation>特性 {number} 在该零件上按每件的缺陷数计数，但文件计的是不合格件数（K0021）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="93" />
            <location filename="../../desktop_app/services/evidence.py" line="414" />
            <source>Characteristic {number} has no readings.</source>
            <translation>特性 {number} 没有读数。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence_import.py" line="327" />
            <source>Characteristic {number} in the file is not a characteristic of this part.</source>
            <translation>文件中的特性 {number} 不是该零件的特性。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="77" />
            <source>Characteristic {number} is described twice in the file (K2001).</source>
            <translation>文件中特性 {number} 被描述了两次（K2001）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="169" />
            <source>Characteristic {number} is judged by attribute on this part; the file gives {value}, not 0 (OK) or a number of nonconformities.</source>
            <translation>特性 {number} 在该零件上按计数型判定；文件给出的是 {value}，而不是 0（OK）或不合格数。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="153" />
            <source>Characteristic {number} is measured on this part, but the file judges it as an attribute (K2004 1).</source>
            <translation>特性 {number} 在该零件上是计量型，但文件按计数型判定（K2004 1）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa.py" line="240" />
            <source>Characteristic {number} is measured with gauge {other}, not {gauge}.</source>
            <translation>特性 {number} 使用量具 {other} 测量，而不是 {gauge}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="169" />
            <source>Characteristic {number} needs a description.</source>
            <translation>特性 {number} 需要描述。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="410" />
            <source>Characteristic {number}, reading {row}: '{value}' is not a number.</source>
            <translation>特性 {number}，读数 {row}：“{value}”不是数字。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="85" />
            <source>Characteristic {number}, sample {row}: '{value}' is neither OK nor NG.</source>
            <translation>特性 {number}，样件 {row}：“{value}”既不是 OK 也不是 NG。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="87" />
            <source>Characteristic {number}, sample {row}: '{value}' is not a number of defects (0, 1, 2 …).</source>
            <translation>特性 {number}，样件 {row}：“{value}”不是缺陷数（0、1、2 …）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/tabular.py" line="60" />
            <source>Column {column} does not exist in this sheet.</source>
            <translation>此工作表中不存在列 {column}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="455" />
            <source>Column {column} of the header row (row {row}) of {name} has no name; give every column a name.</source>
            <translation>{name} 标题行（第 {row} 行）的第 {column} 列没有名称；请为每一列命名。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="267" />
            <source>Designations exist in {languages}, not in {code}.</source>
            <translation>名称有 {languages} 版本，没有 {code} 版本。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="221" />
            <source>Deviation number {number} is already taken.</source>
            <translation>偏差许可编号 {number} 已被使用。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="130" />
            <source>Each regulatory rule says the text it comes from (or that it is an assumption).</source>
            <translation>每条法规规则都注明其来源文本（或注明为假设）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="163" />
            <source>Element {number} ({name}) has no customer choice: at level 4 the customer says for every element whether to submit or retain it.</source>
            <translation>要素 {number}（{name}）没有客户选择：在等级 4，客户为每个要素说明提交还是保留。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="189" />
            <source>Element {number} ({name}) is required at this level: link evidence or mark it not applicable with a reason.</source>
            <translation>此等级要求要素 {number}（{name}）：请关联证据，或注明原因标记为不适用。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="182" />
            <source>Element {number} ({name}) needs linked evidence at this level: the results measured on the samples cannot be marked not applicable.</source>
            <translation>要素 {number}（{name}）在此等级需要关联证据：在样件上测得的结果不能标记为不适用。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="372" />
            <source>Every operator read every part the same in every trial: the gauge's resolution is too coarse for a gauge R&amp;R to see its repeatability.</source>
            <translation>每名操作员每次对每个零件的读数都相同：量具分辨率太粗，量具 R&amp;R 无法看出其重复性。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="198" />
            <source>Evidence {evidence} linked to element {number} does not exist here.</source>
            <translation>与要素 {number} 关联的证据 {evidence} 在此不存在。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="202" />
            <source>Evidence “{evidence}” linked to element {number} belongs to another part revision.</source>
            <translation>与要素 {number} 关联的证据“{evidence}”属于另一零件版本。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/gauges.py" line="46" />
            <source>Gauge {code} is already in the register.</source>
            <translation>量具 {code} 已在登记册中。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="188" />
            <location filename="../../desktop_app/services/evidence.py" line="336" />
            <source>Gauge {code} is not in the gauges register.</source>
            <translation>量具 {code} 不在量具登记册中。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/gauges.py" line="78" />
            <source>Gauge {code} needs a type (e.g. micrometer).</source>
            <translation>量具 {code} 需要类型（例如千分尺）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="258" />
            <source>Gauge {gauge} (characteristics {numbers}) has no measurement system analysis study recorded here: check that the evidence linked to element 8 covers it.</source>
            <translation>量具 {gauge}（特性 {numbers}）在此没有记录测量系统分析研究：请确认与要素 8 关联的证据已涵盖它。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="255" />
            <source>Gauge {gauge} (characteristics {numbers}) has no measurement system analysis study: record a gauge R&amp;R or an attribute agreement study of it.</source>
            <translation>量具 {gauge}（特性 {numbers}）没有测量系统分析研究：请记录其量具 R&amp;R 或计数型一致性研究。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="274" />
            <source>Gauge {gauge} (characteristics {numbers}): its attribute agreement study of {date} is only marginally acceptable (effectiveness {effectiveness} %, miss rate {miss} %, false alarm rate {false_alarm} %, kappa {kappa}): acceptable only with the customer's agreement.</source>
            <translation>量具 {gauge}（特性 {numbers}）：其 {date} 的计数型一致性研究仅勉强可接受（有效性 {effectiveness} %，漏判率 {miss} %，误判率 {false_alarm} %，kappa {kappa}）：仅在客户同意时可接受。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="269" />
            <source>Gauge {gauge} (characteristics {numbers}): its attribute agreement study of {date} is unacceptable (effectiveness {effectiveness} %, miss rate {miss} %, false alarm rate {false_alarm} %, kappa {kappa}); improve the check and study it again.</source>
            <translation>量具 {gauge}（特性 {numbers}）：其 {date} 的计数型一致性研究不可接受（有效性 {effectiveness} %，漏判率 {miss} %，误判率 {false_alarm} %，kappa {kappa}）；请改进检验并重新研究。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="265" />
            <source>Gauge {gauge} (characteristics {numbers}): its gauge R&amp;R of {date} has %GRR {grr} % of the total variation and {grr_tolerance} % of the tolerance, between 10 and 30 %: acceptable only with the customer's agreement.</source>
            <translation>量具 {gauge}（特性 {numbers}）：其 {date} 的量具 R&amp;R 的 %GRR 占总变差 {grr} %、占公差 {grr_tolerance} %，介于 10 % 与 30 % 之间：仅在客户同意时可接受。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="261" />
            <source>Gauge {gauge} (characteristics {numbers}): its gauge R&amp;R of {date} is unacceptable (%GRR {grr} % of the total variation, {grr_tolerance} % of the tolerance, ndc {ndc}); improve the measurement system and study it again.</source>
            <translation>量具 {gauge}（特性 {numbers}）：其 {date} 的量具 R&amp;R 不可接受（%GRR 占总变差 {grr} %，占公差 {grr_tolerance} %，ndc {ndc}）；请改进测量系统并重新研究。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="243" />
            <source>Gauge {gauge} was out of calibration on {date} when “{evidence}” was measured; an impact assessment is needed.</source>
            <translation>测量“{evidence}”时（{date}）量具 {gauge} 已超出校准期；需要进行影响评估。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="269" />
            <source>Give a field choice as NAME=REV_ID, not {value}.</source>
            <translation>请以 NAME=REV_ID 的形式给出字段选择，而不是 {value}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="481" />
            <source>K0021/{index} counts {bad} nonconforming parts in a subgroup of {size} (K0020).</source>
            <translation>K0021/{index} 在 {size} 件的子组中计了 {bad} 件不合格（K0020）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="446" />
            <source>K0100 says the file has {declared} characteristics, but it describes {found}.</source>
            <translation>K0100 声明文件有 {declared} 个特性，但文件描述了 {found} 个。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="83" />
            <source>Line {line}: {message}</source>
            <translation>第 {line} 行：{message}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="97" />
            <source>Name a certificate PDF, or give the QR text with --payload.</source>
            <translation>请指定证书 PDF，或用 --payload 提供二维码文本。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/core.py" line="123" />
            <source>Name one backup file, or --latest for the newest.</source>
            <translation>请指定一个备份文件，或用 --latest 选择最新的备份。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/retention.py" line="136" />
            <source>Name the customer whose retention period this is.</source>
            <translation>请填写此保存期限所属的客户。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/laboratories.py" line="146" />
            <source>Name the laboratory.</source>
            <translation>请填写实验室。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/recovery.py" line="52" />
            <source>No backup in {backups} verifies; nothing was restored.</source>
            <translation>{backups} 中没有任何备份通过验证；未恢复任何内容。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence_import.py" line="195" />
            <source>No column holds the characteristic {field}; map one by hand.</source>
            <translation>没有列包含特性 {field}；请手动映射一列。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence_import.py" line="284" />
            <source>No column is a characteristic of this part: name the columns after the characteristic numbers, or give a characteristic column and a value column.</source>
            <translation>没有列是该零件的特性：请按特性编号命名各列，或指定一个特性列和一个数值列。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_dto.py" line="22" />
            <source>No column of {name} holds the {label}; map one by hand.</source>
            <translation>{name} 中没有列包含{label}；请手动映射一列。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="244" />
            <source>No new password: set {env} or run in a terminal.</source>
            <translation>没有新密码：请设置 {env} 或在终端中运行。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="228" />
            <source>No password: set PARTDESK_PASSWORD or run in a terminal.</source>
            <translation>没有密码：请设置 PARTDESK_PASSWORD 或在终端中运行。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/header_detect.py" line="108" />
            <source>No row at the top of sheet {sheet} of {name} names the columns expected ({fields}); choose the header row.</source>
            <translation>{name} 的工作表 {sheet} 顶部没有任何一行列出预期的列名（{fields}）；请选择标题行。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/header_detect.py" line="110" />
            <source>No row at the top of {name} names the columns expected ({fields}); choose the header row.</source>
            <translation>{name} 顶部没有任何一行列出预期的列名（{fields}）；请选择标题行。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/tabular.py" line="65" />
            <source>One column is mapped to two fields; map each column once.</source>
            <translation>一列被映射到两个字段；每列只能映射一次。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="97" />
            <source>Only a 3.2 certificate carries a co-signature by the purchaser's representative.</source>
            <translation>只有 3.2 证书带有买方代表的会签。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="166" />
            <source>Operator {operator} read part {part} twice as trial {trial}.</source>
            <translation>操作员 {operator} 将零件 {part} 的两个读数都记为第 {trial} 次。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="159" />
            <source>Operator {operator}, part {part}: trials are numbered from 1 to {limit}.</source>
            <translation>操作员 {operator}，零件 {part}：测量次数编号为 1 至 {limit}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="378" />
            <source>Package {sequence} of site {site} shows its audit log up to entry {seq}, but its earlier package {other} showed it up to entry {other_seq}: its log was cut.</source>
            <translation>站点 {site} 的第 {sequence} 号数据包显示其审计日志截至第 {seq} 条，但其较早的第 {other} 号数据包显示截至第 {other_seq} 条：其日志已被截断。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts.py" line="72" />
            <source>Part {number} revision {revision} is already registered.</source>
            <translation>零件 {number} 版本 {revision} 已登记。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="364" />
            <source>Part {number} revision {revision} is released and locked against edits; create a new drawing revision instead.</source>
            <translation>零件 {number} 版本 {revision} 已发布并锁定，不可编辑；请创建新的图纸版本。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/integration.py" line="269" />
            <source>Part {part} belongs to another vehicle model; it cannot realise the set {set} of {model}.</source>
            <translation>零件 {part} 属于另一车型；不能用于实现 {model} 的总成 {set}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="142" />
            <source>Part {part} has no reference decision (OK or NG): an attribute agreement study compares every judgement with it.</source>
            <translation>零件 {part} 没有基准判定（OK 或 NG）：计数型一致性研究要将每个判定与之比较。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/integration.py" line="278" />
            <source>Part {part} is already linked to the set {set}.</source>
            <translation>零件 {part} 已关联到总成 {set}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/roadmap.py" line="126" />
            <source>Part {part} of the component {name} belongs to another vehicle model than {model}.</source>
            <translation>组件 {name} 的零件 {part} 属于 {model} 以外的车型。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/app.py" line="111" />
            <location filename="../../desktop_app/ui/pages/base.py" line="75" />
            <source>PartDesk</source>
            <translation>PartDesk</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/lock.py" line="36" />
            <source>PartDesk is already open on the data folder {folder}; close it first.</source>
            <translation>PartDesk 已在数据文件夹 {folder} 上打开；请先将其关闭。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import.py" line="154" />
            <source>Parts were changed since {name} was checked; it is checked again.</source>
            <translation>自检查 {name} 以来零件已被更改；将重新检查。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/conflicts.py" line="133" />
            <source>Record {key} has no competing versions to merge.</source>
            <translation>记录 {key} 没有需要合并的冲突版本。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/revisions.py" line="706" />
            <source>Record {record_id} appears with two different types.</source>
            <translation>记录 {record_id} 以两种不同类型出现。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="303" />
            <source>Report {number} was already corrected by {newer}; correct {newer} instead.</source>
            <translation>报告 {number} 已被 {newer} 更正；请更正 {newer}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/laboratories.py" line="184" />
            <source>Report {report} already has its EN 10204 inspection document; a correction is a new report that supersedes it.</source>
            <translation>报告 {report} 已有 EN 10204 检验文件；更正应为取代它的新报告。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="180" />
            <source>Report {report} applies {standard}, which is outside the ISO/IEC 17025 accreditation scope of {laboratory}.</source>
            <translation>报告 {report} 采用 {standard}，不在 {laboratory} 的 ISO/IEC 17025 认可范围内。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="173" />
            <source>Report {report} was tested on {tested} by {laboratory}, whose ISO/IEC 17025 accreditation {accreditation} expired on {expired}.</source>
            <translation>报告 {report} 于 {tested} 由 {laboratory} 试验，其 ISO/IEC 17025 认可 {accreditation} 已于 {expired} 到期。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="109" />
            <source>Revision on line {line} of the package is refused: {detail}</source>
            <translation>数据包第 {line} 行的修订被拒绝：{detail}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="154" />
            <source>Revision {rev_id} ({kind} {record}) claims to come from site {site}, but no signature of that site covers it.</source>
            <translation>修订 {rev_id}（{kind} {record}）声称来自站点 {site}，但没有该站点的任何签名涵盖它。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/revisions.py" line="258" />
            <source>Revision {rev_id} does not match its content; it was altered.</source>
            <translation>修订 {rev_id} 与其内容不符；已被篡改。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="172" />
            <source>Revision {rev_id} of site {site} names {person}, a person of another site, as its author or signer; the package was refused.</source>
            <translation>站点 {site} 的修订 {rev_id} 将另一站点的人员 {person} 列为作者或签署人；数据包已被拒绝。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="114" />
            <source>Revision {rev_id} refers to file {sha} that the package does not carry.</source>
            <translation>修订 {rev_id} 引用了数据包中没有的文件 {sha}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="339" />
            <source>Row {row} of sheet {sheet} of {name} is empty; choose the row that names the columns.</source>
            <translation>{name} 的工作表 {sheet} 第 {row} 行为空；请选择列出列名的那一行。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="450" />
            <source>Row {row} of {name} holds data, not column names: choose the row that names the columns.</source>
            <translation>{name} 第 {row} 行是数据而不是列名：请选择列出列名的那一行。</translation>
        </message>
        <message>
            <source>Row {row} of {name} holds data, not column names: the first row must be a header row.</source>
            <translation type="vanished">{name} 的第 {row} 行是数据而非列名：第一行必须是标题行。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="341" />
            <source>Row {row} of {name} is empty; choose the row that names the columns.</source>
            <translation>{name} 第 {row} 行为空；请选择列出列名的那一行。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="552" />
            <source>Row {row} of {name} is not valid CSV ({detail}).</source>
            <translation>{name} 的第 {row} 行不是有效的 CSV（{detail}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa_sheets.py" line="116" />
            <source>Row {row}: '{value}' is neither OK nor NG.</source>
            <translation>第 {row} 行：“{value}”既不是 OK 也不是 NG。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="127" />
            <source>Row {row}: '{value}' is not a date (YYYY-MM-DD).</source>
            <translation>第 {row} 行：“{value}”不是日期（YYYY-MM-DD）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence_import.py" line="350" />
            <source>Row {row}: '{value}' is not a judgement of characteristic {number} (OK / NG, or a number of defects).</source>
            <translation>第 {row} 行：“{value}”不是对特性 {number} 的判定（OK / NG，或缺陷数）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="111" />
            <source>Row {row}: '{value}' is not a kind of set; use set, subset or accessory.</source>
            <translation>第 {row} 行：“{value}”不是总成类型；请使用 set、subset 或 accessory。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="146" />
            <source>Row {row}: a set needs a code.</source>
            <translation>第 {row} 行：总成需要代码。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence_import.py" line="206" />
            <source>Row {row}: characteristic {number} already exists on this part.</source>
            <translation>第 {row} 行：该零件上已存在特性 {number}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import.py" line="268" />
            <source>Row {row}: part {number} revision {revision} appears twice in the file (also row {other}).</source>
            <translation>第 {row} 行：零件 {number} 版本 {revision} 在文件中出现两次（另见第 {other} 行）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts.py" line="75" />
            <source>Row {row}: part {number} revision {revision} is already registered.</source>
            <translation>第 {row} 行：零件 {number} 版本 {revision} 已登记。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="287" />
            <source>Row {row}: part {number} revision {revision} is released and locked; give the new values a new drawing revision.</source>
            <translation>第 {row} 行：零件 {number} 版本 {revision} 已发布并锁定；请为新值创建新的图纸版本。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="282" />
            <source>Row {row}: part {number} revision {revision} was edited at two sites; merge it first.</source>
            <translation>第 {row} 行：零件 {number} 版本 {revision} 在两个站点被编辑；请先合并。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa_sheets.py" line="128" />
            <source>Row {row}: part {part} has the reference {value} here and {other} above; a part has one reference decision.</source>
            <translation>第 {row} 行：零件 {part} 此处基准为 {value}，上方为 {other}；一个零件只有一个基准判定。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="88" />
            <source>Row {row}: the rate '{value}' is not a number.</source>
            <translation>第 {row} 行：比率“{value}”不是数字。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="100" />
            <source>Row {row}: the rate {value} is above 100 %.</source>
            <translation>第 {row} 行：比率 {value} 超过 100 %。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="93" />
            <source>Row {row}: the rate {value} is negative; a rate is between 0 and 100 %.</source>
            <translation>第 {row} 行：比率 {value} 为负；比率应在 0 到 100 % 之间。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa_sheets.py" line="124" />
            <source>Row {row}: the reference '{value}' is neither OK nor NG.</source>
            <translation>第 {row} 行：基准“{value}”既不是 OK 也不是 NG。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="150" />
            <source>Row {row}: the set {code} needs a name.</source>
            <translation>第 {row} 行：总成 {code} 需要名称。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa_sheets.py" line="61" />
            <source>Row {row}: the trial '{value}' is not a whole number from 1 to 100.</source>
            <translation>第 {row} 行：测量次数“{value}”不是 1 至 100 的整数。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="220" />
            <location filename="../../desktop_app/domain/evidence.py" line="224" />
            <location filename="../../desktop_app/services/evidence_import.py" line="164" />
            <source>Row {row}: {message}</source>
            <translation>第 {row} 行：{message}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import.py" line="144" />
            <location filename="../../desktop_app/services/parts_import.py" line="251" />
            <location filename="../../desktop_app/services/parts_import_rows.py" line="180" />
            <location filename="../../desktop_app/services/parts_import_rows.py" line="294" />
            <source>Row {row}: {reason}</source>
            <translation>第 {row} 行：{reason}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="154" />
            <source>Row {row}: {what} '{value}' is not a number.</source>
            <translation>第 {row} 行：{what}“{value}”不是数字。</translation>
        </message>
        <message>
            <source>Say who acts: --user NAME before the command, or PARTDESK_USER.</source>
            <translation type="vanished">请说明操作人：在命令前加 --user 用户名，或设置 PARTDESK_USER。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="149" />
            <source>Say why the characteristic is removed.</source>
            <translation>请说明删除该特性的原因。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/attachments.py" line="149" />
            <source>Say why the file is withdrawn.</source>
            <translation>请说明撤回该文件的原因。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="218" />
            <source>Sign in first: --user NAME before the command (or PARTDESK_USER), and the password in PARTDESK_PASSWORD or at the prompt.</source>
            <translation>请先登录：在命令前加 --user NAME（或设置 PARTDESK_USER），并在 PARTDESK_PASSWORD 中提供密码或在提示时输入。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/sync.py" line="151" />
            <source>Site {code} is not known here; enrol its key first, or export everything.</source>
            <translation>此处不认识站点 {code}；请先登记其密钥，或导出全部数据。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="178" />
            <source>Site {site} claims to have created {kind} {record}, which already exists; the package was refused.</source>
            <translation>站点 {site} 声称创建了 {kind} {record}，但该记录已存在；数据包已被拒绝。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="160" />
            <source>Site {site} may not write {kind} records here ({kind} {record}); the package was refused.</source>
            <translation>站点 {site} 无权在此写入 {kind} 记录（{kind} {record}）；数据包已被拒绝。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="370" />
            <source>Site {site} sent a head of this site's audit log that cannot be read.</source>
            <translation>站点 {site} 发送的本站点审计日志头部无法读取。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="383" />
            <source>Site {site} shows entry {seq} of its audit log with another hash than a package received before: its log was rewritten.</source>
            <translation>站点 {site} 显示的其审计日志第 {seq} 条的哈希值与此前收到的数据包中的不同：其日志已被改写。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="373" />
            <source>Site {site} shows its audit log up to entry {seq}, but a package received before showed it up to entry {earlier}: its log was cut.</source>
            <translation>站点 {site} 显示其审计日志截至第 {seq} 条，但此前收到的数据包显示截至第 {earlier} 条：其日志已被截断。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="166" />
            <source>Site {site} tried to change {kind} {record}, which only its own site may change; the package was refused.</source>
            <translation>站点 {site} 试图更改 {kind} {record}，而该记录只能由其所属站点更改；数据包已被拒绝。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/base.py" line="61" />
            <source>Something went wrong ({kind}); nothing was changed.</source>
            <translation>出现问题（{kind}）；未做任何更改。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="238" />
            <source>Special characteristic {number} ({cls}) has Ppk {ppk}, below 1.33; improve the process or reference a deviation.</source>
            <translation>特殊特性 {number}（{cls}）的 Ppk 为 {ppk}，低于 1.33；请改进过程或引用偏差许可。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="311" />
            <source>Special characteristic {number} ({cls}) has Ppk {ppk}, between 1.33 and 1.67: acceptable only with the customer's agreement.</source>
            <translation>特殊特性 {number}（{cls}）的 Ppk 为 {ppk}，介于 1.33 与 1.67 之间：仅在客户同意时可接受。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="322" />
            <source>Special characteristic {number} ({cls}) has a one-sided limit: its acceptance criteria are agreed with the customer.</source>
            <translation>特殊特性 {number}（{cls}）为单边公差：其接收准则须与客户商定。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="233" />
            <source>Special characteristic {number} ({cls}) has no Ppk; record a capability study or reference a deviation.</source>
            <translation>特殊特性 {number}（{cls}）没有 Ppk；请记录能力研究或引用偏差许可。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="121" />
            <source>Special characteristic {number} ({cls}) relies on deviation {deviation}, which has expired.</source>
            <translation>特殊特性 {number}（{cls}）依赖的偏差许可 {deviation} 已过期。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="130" />
            <source>Special characteristic {number} ({cls}) relies on deviation {deviation}, which is not valid.</source>
            <translation>特殊特性 {number}（{cls}）依赖的偏差许可 {deviation} 无效。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="115" />
            <source>Special characteristic {number} ({cls}) relies on deviation {deviation}, which the customer has not approved yet.</source>
            <translation>特殊特性 {number}（{cls}）依赖的偏差许可 {deviation} 尚未获客户批准。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="118" />
            <source>Special characteristic {number} ({cls}) relies on deviation {deviation}, which the customer rejected.</source>
            <translation>特殊特性 {number}（{cls}）依赖的偏差许可 {deviation} 已被客户拒绝。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="127" />
            <source>Special characteristic {number} ({cls}) relies on deviation {deviation}, which was changed after the customer approved it.</source>
            <translation>特殊特性 {number}（{cls}）依赖的偏差许可 {deviation} 在客户批准后被修改。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="124" />
            <source>Special characteristic {number} ({cls}) relies on deviation {deviation}, whose quantity is used up.</source>
            <translation>特殊特性 {number}（{cls}）依赖的偏差许可 {deviation} 数量已用完。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="314" />
            <source>Special characteristic {number} ({cls}): its Ppk comes from {n} readings only and is indicative below 30; a preliminary study wants 100 readings from 25 subgroups, or the customer's agreement.</source>
            <translation>特殊特性 {number}（{cls}）：其 Ppk 仅来自 {n} 个读数，少于 30 时仅供参考；初始研究需要 25 个子组的 100 个读数，或客户同意。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="318" />
            <source>Special characteristic {number} ({cls}): its capability study has {n} readings in {subgroups} subgroups, fewer than the 100 readings from 25 subgroups of a preliminary study; the customer must agree.</source>
            <translation>特殊特性 {number}（{cls}）：其能力研究有 {subgroups} 个子组共 {n} 个读数，少于初始研究的 25 个子组 100 个读数；须经客户同意。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="325" />
            <source>Special characteristic {number} ({cls}): its readings do not look normally distributed (Anderson-Darling A² {a2}); its acceptance criteria are agreed with the customer.</source>
            <translation>特殊特性 {number}（{cls}）：其读数看起来不服从正态分布（Anderson-Darling A² {a2}）；其接收准则须与客户商定。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="329" />
            <source>Special characteristic {number} ({cls}): the process is not stable (points beyond the control limits of the {chart} chart: {count}); remove the special causes or agree with the customer.</source>
            <translation>特殊特性 {number}（{cls}）：过程不稳定（{chart} 图超出控制限的点数：{count}）；请消除特殊原因或与客户商定。</translation>
        </message>
        <message>
            <source>Special characteristic {number} ({cls}): the process is not stable ({count} point(s) beyond the control limits of the {chart} chart); remove the special causes or agree with the customer.</source>
            <translation type="vanished">特殊特性 {number}（{cls}）：过程不稳定（{chart} 图有 {count} 个点超出控制限）；请消除特殊原因或与客户商定。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="116" />
            <source>The APQP phase of {name} is 1 to 5.</source>
            <translation>{name} 的 APQP 阶段为 1 到 5。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="64" />
            <source>The account {user} is disabled; ask an administrator.</source>
            <translation>账户 {user} 已停用；请联系管理员。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/backup.py" line="86" />
            <location filename="../../desktop_app/storage/database.py" line="221" />
            <source>The backup copy failed its integrity check ({detail}).</source>
            <translation>备份副本未通过完整性检查（{detail}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="305" />
            <source>The calibration due date {due} is before the calibration date {done}.</source>
            <translation>校准到期日 {due} 早于校准日期 {done}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="56" />
            <source>The characteristic type '{value}' is not one of: variable, attribute (OK/NG), defects.</source>
            <translation>特性类型“{value}”不是以下之一：计量型、计数型（OK/NG）、缺陷数。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="67" />
            <source>The data folder {folder} already holds a site of its own; give this PC's plant folder with --data-dir (a new, empty folder).</source>
            <translation>数据文件夹 {folder} 已有自己的站点；请用 --data-dir 指定本机的工厂文件夹（一个新的空文件夹）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/site.py" line="72" />
            <source>The data folder {folder} already holds a site's key; a new site is set up only in a new, empty folder.</source>
            <translation>数据文件夹 {folder} 中已有某个站点的密钥；新站点只能在新的空文件夹中设置。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/paths.py" line="57" />
            <source>The data folder {folder} cannot be written ({detail}); choose another.</source>
            <translation>无法写入数据文件夹 {folder}（{detail}）；请选择其他文件夹。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="36" />
            <source>The data folder {folder} holds a site's key, files or backups but no database, and nothing was changed in it; {remedy}.</source>
            <translation>数据文件夹 {folder} 中有站点密钥、文件或备份，但没有数据库，其中内容未作任何更改；{remedy}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/folder_warnings.py" line="29" />
            <source>The data folder {folder} is inside a cloud-synced folder ({detail}): the sync program copies the database while it is written and can bring back an old or half-written copy. Move the data folder out of the synced folder.</source>
            <translation>数据文件夹 {folder} 位于云同步文件夹内（{detail}）：同步程序会在数据库写入时复制它，可能带回旧的或只写了一半的副本。请把数据文件夹移出同步文件夹。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="187" />
            <source>The data folder {folder} is not set up; run 'partdesk init' first.</source>
            <translation>数据文件夹 {folder} 尚未设置；请先运行“partdesk init”。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/folder_warnings.py" line="23" />
            <source>The data folder {folder} is on a network drive ({detail}): the database cannot be locked safely over the network and a dropped connection can damage it. Keep the data folder on this computer's own disk; PCs share a plant's data through PostgreSQL.</source>
            <translation>数据文件夹 {folder} 位于网络驱动器上（{detail}）：数据库无法通过网络安全加锁，连接中断可能损坏它。请把数据文件夹放在本计算机自己的磁盘上；工厂的多台电脑通过 PostgreSQL 共享数据。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/folder_warnings.py" line="17" />
            <source>The data folder {folder} is on a removable drive ({detail}): if the drive is pulled out while PartDesk writes, the last work can be lost or the database damaged. Keep the data folder on this computer's own disk and carry sync packages on the drive instead.</source>
            <translation>数据文件夹 {folder} 位于可移动驱动器上（{detail}）：如果在 PartDesk 写入时拔出驱动器，最后的工作可能丢失或数据库损坏。请把数据文件夹放在本计算机自己的磁盘上，改用该驱动器携带同步包。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="51" />
            <source>The database file {path} is damaged or is not a PartDesk database ({detail}), and nothing was changed in it; {remedy}.</source>
            <translation>数据库文件 {path} 已损坏或不是 PartDesk 数据库（{detail}），其中内容未作任何更改；{remedy}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/database.py" line="29" />
            <location filename="../../desktop_app/storage/site_probe.py" line="19" />
            <source>The database file {path} is damaged or is not a PartDesk database ({detail}).</source>
            <translation>数据库文件 {path} 已损坏或不是 PartDesk 数据库（{detail}）。</translation>
        </message>
        <message>
            <source>The database is busy in another program; try again in a moment.</source>
            <translation type="vanished">数据库正被其他程序使用；请稍后重试。</translation>
        </message>
        <message>
            <source>The database is read-only; nothing was written.</source>
            <translation type="vanished">数据库为只读；未写入任何内容。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="141" />
            <source>The database server of {path} cannot be reached ({detail}), and nothing was changed; check that this PC is on the plant's network and the server is running, then try again.</source>
            <translation>无法连接 {path} 的数据库服务器（{detail}），未做任何更改；请确认本机已接入工厂网络且服务器正在运行，然后重试。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="146" />
            <source>The database server refused {path} ({detail}); check the user name, password and database name of the address with plant IT.</source>
            <translation>数据库服务器拒绝了 {path}（{detail}）；请与工厂 IT 核对地址中的用户名、密码和数据库名。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="46" />
            <source>The database {path} holds no site although its folder holds a site's key, files or backups, and nothing was changed in it; {remedy}.</source>
            <translation>数据库 {path} 中没有站点，但其所在文件夹中有站点密钥、文件或备份，其中内容未作任何更改；{remedy}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="40" />
            <source>The database {path} is busy in another program, and nothing was changed; try again in a moment.</source>
            <translation>数据库 {path} 正被其他程序占用，未作任何更改；请稍后再试。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="41" />
            <source>The database {path} is empty although its folder holds a site's key, files or backups, and nothing was changed in it; {remedy}.</source>
            <translation>数据库 {path} 为空，但其所在文件夹中有站点密钥、文件或备份，其中内容未作任何更改；{remedy}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="72" />
            <source>The database {where} already holds the plant {code}; on this PC run 'partdesk plant join --database-url URL --code CODE' with a join code from an administrator.</source>
            <translation>数据库 {where} 已包含工厂 {code}；请在本机使用管理员提供的加入码运行 'partdesk plant join --database-url URL --code CODE'。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="77" />
            <source>The database {where} holds no plant yet; set it up on the first PC with 'partdesk plant init --database-url URL'.</source>
            <translation>数据库 {where} 中尚无工厂；请在第一台电脑上用 'partdesk plant init --database-url URL' 建立。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/demo/__init__.py" line="43" />
            <source>The demo needs an empty data folder; this one is already set up.</source>
            <translation>演示需要空的数据文件夹；此文件夹已设置。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/base.py" line="66" />
            <source>The details are in the log: {log}</source>
            <translation>详细信息见日志：{log}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/diagnostics.py" line="274" />
            <source>The diagnostics file {path} cannot be written ({detail}).</source>
            <translation>无法写入诊断文件 {path}（{detail}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="25" />
            <source>The disk is full: {path} could not be written, and nothing was changed; free some space and try again.</source>
            <translation>磁盘已满：无法写入 {path}，未作任何更改；请释放一些空间后重试。</translation>
        </message>
        <message>
            <source>The disk is full; nothing was written.</source>
            <translation type="vanished">磁盘已满；未写入任何内容。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="45" />
            <source>The disk reported an input/output error on {path}, and nothing was changed; check the drive (it may be failing or disconnected) and try again.</source>
            <translation>磁盘在 {path} 上报告了输入/输出错误，未作任何更改；请检查驱动器（可能已损坏或已断开）后重试。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="261" />
            <source>The drawing revision “{value}” may use letters, digits, . and - only (at most 10).</source>
            <translation>图纸版本“{value}”只能使用字母、数字、. 和 -（最多 10 个）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/retention.py" line="162" />
            <source>The end of production is a day that has come; record it when production has ended.</source>
            <translation>生产结束日期须为已到的日期；请在生产结束后记录。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="204" />
            <source>The expiry date of a deviation cannot lie in the past.</source>
            <translation>偏差许可的到期日期不能是过去的日期。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="122" />
            <source>The expiry date of an interim approval lies in the future.</source>
            <translation>临时批准的到期日期必须在将来。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa.py" line="325" />
            <source>The figures of this study could not be computed.</source>
            <translation>无法计算该研究的数值。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="142" />
            <source>The file has no column {column}.</source>
            <translation>文件没有列 {column}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence_import.py" line="331" />
            <source>The file has no readings.</source>
            <translation>文件中没有读数。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence_import.py" line="229" />
            <source>The file has no rows to import.</source>
            <translation>文件中没有可导入的行。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="161" />
            <location filename="../../desktop_app/files/workbooks.py" line="47" />
            <location filename="../../desktop_app/services/attachments.py" line="82" />
            <location filename="../../desktop_app/services/attachments.py" line="94" />
            <location filename="../../desktop_app/services/sync.py" line="284" />
            <location filename="../../desktop_app/services/sync.py" line="73" />
            <location filename="../../desktop_app/services/sync_keys.py" line="87" />
            <location filename="../../desktop_app/storage/blobs.py" line="176" />
            <source>The file {name} cannot be read ({detail}).</source>
            <translation>无法读取文件 {name}（{detail}）。</translation>
        </message>
        <message>
            <source>The file {name} cannot be written ({detail}).</source>
            <translation type="vanished">无法写入文件 {name}（{detail}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/attachments.py" line="49" />
            <source>The file {name} changed or disappeared while it was being attached; nothing was stored. Try again once it is complete.</source>
            <translation>文件 {name} 在附加过程中被更改或消失；未存储任何内容。请在文件完整后重试。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import.py" line="147" />
            <source>The file {name} changed since it was checked; it is read and checked again.</source>
            <translation>文件 {name} 在检查之后已更改；将重新读取并检查。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="191" />
            <location filename="../../desktop_app/files/tables.py" line="157" />
            <source>The file {name} does not exist.</source>
            <translation>文件 {name} 不存在。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/blobs.py" line="201" />
            <source>The file {name} does not match its hash.</source>
            <translation>文件 {name} 与其哈希值不符。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/reference_lists.py" line="97" />
            <source>The file {name} has no column for {fields}; expected columns: code, name, kind, rate.</source>
            <translation>文件 {name} 没有 {fields} 列；应有的列：code、name、kind、rate。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import.py" line="173" />
            <source>The file {name} has no rows to import.</source>
            <translation>文件 {name} 中没有可导入的行。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="247" />
            <source>The file {name} is empty.</source>
            <translation>文件 {name} 为空。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="174" />
            <source>The file {name} is not an Excel workbook (.xlsx) or a CSV file; it looks like {what}.</source>
            <translation>文件 {name} 不是 Excel 工作簿（.xlsx）或 CSV 文件；看起来是{what}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certificates.py" line="284" />
            <source>The file {path} cannot be read.</source>
            <translation>无法读取文件 {path}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/sync_keys.py" line="118" />
            <source>The fingerprint you typed does not match the key in {name}; do not enrol it and check with the other site.</source>
            <translation>您输入的指纹与 {name} 中的密钥不符；请勿登记，并与对方站点核实。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="116" />
            <source>The grace period lasts 0 to 60 months, not '{value}'.</source>
            <translation>宽限期为 0 至 60 个月，而不是“{value}”。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="610" />
            <source>The header row (row {row}) of {name} has merged cells; unmerge them so that every column has its own name.</source>
            <translation>{name} 的标题行（第 {row} 行）有合并单元格；请取消合并，使每列都有自己的名称。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="132" />
            <source>The judgement of part {part} by operator {operator} in trial {trial} is '{value}', neither OK nor NG.</source>
            <translation>操作员 {operator} 第 {trial} 次对零件 {part} 的判定为“{value}”，既不是 OK 也不是 NG。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/sync_keys.py" line="76" />
            <source>The key file {path} cannot be written ({detail}).</source>
            <translation>无法写入密钥文件 {path}（{detail}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa.py" line="334" />
            <source>The kind of study '{value}' is not one of: variable (gauge R&amp;R), attribute (OK / NG).</source>
            <translation>研究类型“{value}”不属于：计量型（量具 R&amp;R）、计数型（OK / NG）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="374" />
            <source>The line gives a value of characteristic {index}, which the file does not describe (no K2001/{index} …).</source>
            <translation>该行给出了特性 {index} 的值，但文件没有描述该特性（没有 K2001/{index} …）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="365" />
            <source>The line gives values of {found} characteristics, but the file has {count}.</source>
            <translation>该行给出了 {found} 个特性的值，但文件只有 {count} 个特性。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="271" />
            <source>The line is neither a K-field (such as K2001/1 …) nor a line of values.</source>
            <translation>该行既不是 K 字段（例如 K2001/1 …），也不是数值行。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="188" />
            <source>The lower limit {lower} must be below the upper limit {upper}.</source>
            <translation>下限 {lower} 必须小于上限 {upper}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="20" />
            <source>The operation failed.</source>
            <translation>操作失败。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="22" />
            <source>The package holds a file with a forbidden name ({member}); it was refused.</source>
            <translation>数据包含有名称被禁止的文件（{member}）；已被拒绝。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="27" />
            <source>The package holds a link or special file ({member}); it was refused.</source>
            <translation>数据包含有链接或特殊文件（{member}）；已被拒绝。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="37" />
            <source>The package holds an encrypted or unusually compressed file ({member}).</source>
            <translation>数据包含有加密或以异常方式压缩的文件（{member}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="184" />
            <source>The package holds an invalid revision of site {site}: {detail}</source>
            <translation>数据包含有站点 {site} 的无效修订：{detail}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="32" />
            <source>The package holds the file {member} twice; it was refused.</source>
            <translation>数据包两次包含文件 {member}；已被拒绝。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="142" />
            <source>The package holds work signed with the key of site {site} after that key was retired.</source>
            <translation>数据包含有在站点 {site} 的密钥停用后仍以该密钥签名的工作内容。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="42" />
            <source>The package holds {count} files, above the limit of {limit}.</source>
            <translation>数据包含有 {count} 个文件，超过上限 {limit}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="67" />
            <source>The package holds {member}, which its signed manifest does not list.</source>
            <translation>数据包含有 {member}，但其签名清单中未列出。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="77" />
            <source>The package is not a PartDesk sync package of a supported format ({detail}).</source>
            <translation>该数据包不是受支持格式的 PartDesk 同步数据包（{detail}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="88" />
            <source>The package is signed by site {site}, whose key is not enrolled here.</source>
            <translation>数据包由站点 {site} 签名，但其密钥未在此登记。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="93" />
            <source>The package is signed with the retired key of site {site}; new packages from it are refused.</source>
            <translation>数据包使用站点 {site} 已停用的密钥签名；由其签名的新数据包会被拒绝。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="63" />
            <source>The package lacks {member}.</source>
            <translation>数据包缺少 {member}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="119" />
            <source>The package manifest is malformed ({detail}).</source>
            <translation>数据包清单格式错误（{detail}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="136" />
            <source>The package relays work signed by site {site}, whose key is not enrolled here; enrol that site first.</source>
            <translation>数据包转发了由站点 {site} 签名的工作内容，但该站点的密钥未在此登记；请先登记该站点。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="99" />
            <source>The package signature does not match its manifest; it was altered or forged.</source>
            <translation>数据包签名与清单不符；已被篡改或伪造。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="82" />
            <source>The package was made by a newer PartDesk (data version {version}, this one reads up to {supported}); update PartDesk first.</source>
            <translation>该数据包由较新的 PartDesk 创建（数据版本 {version}，本版本最高读取 {supported}）；请先更新 PartDesk。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="13" />
            <source>The package was refused.</source>
            <translation>数据包被拒绝。</translation>
        </message>
        <message>
            <source>The package {path} cannot be written ({detail}).</source>
            <translation type="vanished">无法写入数据包 {path}（{detail}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="256" />
            <source>The part number “{value}” may use letters, digits, spaces and . _ / - only (at most 60).</source>
            <translation>零件号“{value}”只能使用字母、数字、空格和 . _ / -（最多 60 个）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/plant.py" line="51" />
            <source>The plant's site key is missing from the database {where}, although this PC was enrolled; nothing is signed until plant IT restores the database from its backup.</source>
            <translation>数据库 {where} 中缺少工厂的站点密钥，而本机曾经加入；在工厂 IT 从备份恢复数据库之前，不会签署任何内容。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="199" />
            <source>The quantity of a deviation is a positive number of parts.</source>
            <translation>偏差许可的数量为正的零件数。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="117" />
            <source>The quantity of an interim approval is a positive number of parts.</source>
            <translation>临时批准的数量必须是正的零件数。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="248" />
            <source>The quantity shipped under a deviation is a positive number of parts.</source>
            <translation>按偏差许可发运的数量为正的零件数。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="89" />
            <source>The rate '{value}' is not a number.</source>
            <translation>比率“{value}”不是数字。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="101" />
            <source>The rate {value} is above 100 %.</source>
            <translation>比率 {value} 超过 100 %。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="95" />
            <source>The rate {value} is negative; a rate is between 0 and 100 %.</source>
            <translation>比率 {value} 为负；比率应在 0 到 100 % 之间。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="349" />
            <source>The reading of part {part} by operator {operator} in trial {trial} is not a finite number.</source>
            <translation>操作员 {operator} 第 {trial} 次对零件 {part} 的读数不是有限数值。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification.py" line="173" />
            <source>The reason “Other” needs a few words saying what it is.</source>
            <translation>原因“其他”需要简短说明。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="149" />
            <source>The reference holds {ok} OK and {ng} NG parts: an attribute agreement study needs both, to measure misses and false alarms.</source>
            <translation>基准中有 {ok} 个 OK 零件和 {ng} 个 NG 零件：计数型一致性研究两者都需要，才能衡量漏判和误判。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="178" />
            <source>The reference list sums to {total} %, {excess} % more than 100 %.</source>
            <translation>参考清单合计 {total} %，比 100 % 多 {excess} %。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="248" />
            <source>The report is issued ({issued}) before the test ({tested}).</source>
            <translation>报告签发日期（{issued}）早于试验日期（{tested}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/gauges.py" line="86" />
            <source>The resolution of a gauge is above zero.</source>
            <translation>量具的分辨率必须大于零。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="169" />
            <source>The roadmap step {code} needs a target date.</source>
            <translation>路线图步骤 {code} 需要目标日期。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="165" />
            <source>The roadmap step {code} needs a title.</source>
            <translation>路线图步骤 {code} 需要标题。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="242" />
            <source>The sample size cannot be negative.</source>
            <translation>样本量不能为负。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="172" />
            <source>The set code {code} appears twice in the reference list.</source>
            <translation>总成代码 {code} 在参考清单中出现了两次。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="151" />
            <source>The set {code} needs a name.</source>
            <translation>总成 {code} 需要名称。</translation>
        </message>
        <message>
            <source>The set {code}{where} needs a name.</source>
            <translation type="vanished">总成 {code}{where} 需要名称。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/roadmap.py" line="133" />
            <source>The set {set} of the component {name} is not in the reference list of {model}.</source>
            <translation>组件 {name} 的套件 {set} 不在 {model} 的参考清单中。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa_sheets.py" line="84" />
            <source>The sheet has no {columns} column: a study sheet has one row per reading with its operator, part, trial and value.</source>
            <translation>该表没有 {columns} 列：研究表每行一个读数，含操作员、零件、测量次数和数值。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa_sheets.py" line="89" />
            <source>The sheet {name} holds no readings.</source>
            <translation>表 {name} 中没有读数。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="148" />
            <source>The signature of site {site} on a batch of the package does not match; the batch was altered or forged.</source>
            <translation>数据包中某一批次上站点 {site} 的签名不匹配；该批次已被篡改或伪造。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/keys.py" line="30" />
            <source>The site key is not an Ed25519 key.</source>
            <translation>站点密钥不是 Ed25519 密钥。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="280" />
            <source>The status {value} is not known.</source>
            <translation>未知状态 {value}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/attachments.py" line="196" />
            <location filename="../../desktop_app/services/attachments.py" line="224" />
            <source>The stored copy of {name} is altered (its bytes no longer match SHA-256 {sha}); run 'partdesk verify' and restore it from a backup.</source>
            <translation>{name} 的存储副本已被篡改（其字节不再匹配 SHA-256 {sha}）；请运行“partdesk verify”并从备份恢复。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa.py" line="225" />
            <source>The study date {date} is after today.</source>
            <translation>研究日期 {date} 晚于今天。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="192" />
            <source>The study is not balanced: operator {operator} has no trial {trial} of part {part}, where every operator reads every part in trials {trials}.</source>
            <translation>研究不平衡：操作员 {operator} 缺少零件 {part} 的第 {trial} 次测量，而每名操作员都应在第 {trials} 次测量每个零件。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification.py" line="302" />
            <source>The submission cannot be submitted: {first} (problems found: {count}; see the check list).</source>
            <translation>无法提交：{first}（发现的问题数：{count}；请查看检查清单）。</translation>
        </message>
        <message>
            <source>The submission cannot be submitted: {first} ({count} problem(s) in all; see the check list).</source>
            <translation type="vanished">无法提交：{first}（共 {count} 个问题；请查看检查清单）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/suppliers.py" line="114" />
            <source>The supplier code {code} is already used by {name}.</source>
            <translation>供应商代码 {code} 已被 {name} 使用。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="189" />
            <source>The target date {target} of step {code} is before the approval of {model} on {approval}.</source>
            <translation>步骤 {code} 的目标日期 {target} 早于 {model} 的批准日期 {approval}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="340" />
            <source>The tolerance of a gauge R&amp;R is the width of the specification, above zero.</source>
            <translation>量具 R&amp;R 的公差是规格宽度，须大于零。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="249" />
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="43" />
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="24" />
            <source>The two passwords differ.</source>
            <translation>两次输入的密码不一致。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="275" />
            <source>The unit {value} is not one of {units}.</source>
            <translation>单位 {value} 不在 {units} 之中。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/migrations.py" line="110" />
            <source>The upgrade of the database was stopped because it would have left {count} rows of {table} pointing at missing records; the database is unchanged. Keep this version and report it to plant IT.</source>
            <translation>数据库升级已停止，因为它会使 {table} 的 {count} 行指向不存在的记录；数据库未作更改。请保留此版本并报告工厂 IT。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/migrations.py" line="105" />
            <source>The upgrade of the database was stopped because it would have removed {count} rows of {table}; the database is unchanged. Keep this version and report it to plant IT.</source>
            <translation>数据库升级已停止，因为它会删除 {table} 的 {count} 行；数据库未作更改。请保留此版本并报告工厂 IT。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="59" />
            <source>The user name or password is wrong.</source>
            <translation>用户名或密码错误。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/people.py" line="310" />
            <source>The user name {user} is already taken.</source>
            <translation>用户名 {user} 已被占用。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/revisions.py" line="106" />
            <source>The value at {path} cannot be stored ({kind}).</source>
            <translation>{path} 处的值无法存储（{kind}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/revisions.py" line="89" />
            <location filename="../../desktop_app/domain/revisions.py" line="97" />
            <source>The value at {path} is not a finite number.</source>
            <translation>{path} 处的值不是有限数。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/suppliers.py" line="139" />
            <source>The vehicle model code {code} is already used.</source>
            <translation>车型代码 {code} 已被使用。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="218" />
            <source>The vehicles planned for {period} must be a whole number, 0 or more.</source>
            <translation>{period} 的计划车辆数必须是整数，0 或以上。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="126" />
            <source>The volume of {name} for {period} must be a whole number, 0 or more.</source>
            <translation>{name} 在 {period} 的数量必须是 0 或以上的整数。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/workbooks.py" line="53" />
            <source>The workbook {name} cannot be read; it may be damaged ({detail}).</source>
            <translation>无法读取工作簿 {name}；可能已损坏（{detail}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/workbooks.py" line="59" />
            <source>The workbook {name} is protected by a password; save a copy without the password and import that.</source>
            <translation>工作簿 {name} 受密码保护；请另存一份不带密码的副本并导入该副本。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="286" />
            <location filename="../../desktop_app/domain/parts.py" line="94" />
            <source>The {label} cannot be negative.</source>
            <translation>{label}不能为负。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="119" />
            <location filename="../../desktop_app/domain/parts.py" line="71" />
            <source>The {label} is empty.</source>
            <translation>{label}为空。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="74" />
            <source>The {label} is longer than {limit} characters.</source>
            <translation>{label}超过 {limit} 个字符。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="125" />
            <source>The {label} “{value}” is not a date (YYYY-MM-DD).</source>
            <translation>{label}“{value}”不是日期（YYYY-MM-DD）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="90" />
            <source>The {label} “{value}” is not a number.</source>
            <translation>{label}“{value}”不是数字。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="109" />
            <source>The {label} “{value}” is not a whole number.</source>
            <translation>{label}“{value}”不是整数。</translation>
        </message>
        <message>
            <source>The {what} '{value}'{where} is not a date (YYYY-MM-DD).</source>
            <translation type="vanished">{what}“{value}”{where}不是日期（YYYY-MM-DD）。</translation>
        </message>
        <message>
            <source>The {what} '{value}'{where} is not a number.</source>
            <translation type="vanished">{what}“{value}”{where}不是数字。</translation>
        </message>
        <message>
            <source>The {what} {value}{where} is above 100 %.</source>
            <translation type="vanished">{what} {value}{where}超过 100 %。</translation>
        </message>
        <message>
            <source>The {what} {value}{where} is negative; a rate is between 0 and 100 %.</source>
            <translation type="vanished">{what} {value}{where}为负；比率应在 0 到 100 % 之间。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification.py" line="343" />
            <source>There is no PPAP element {element}.</source>
            <translation>不存在 PPAP 要素 {element}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/tabular.py" line="56" />
            <source>There is no field called {name} to map.</source>
            <translation>没有名为 {name} 的字段可映射。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="102" />
            <source>This PC is already enrolled in the plant {code} (PC {pc}).</source>
            <translation>本机已加入工厂 {code}（电脑 {pc}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/plant.py" line="34" />
            <source>This PC is not enrolled in the plant whose database is {where}: ask an administrator for a join code ('partdesk --user NAME plant invite' on an enrolled PC), then run 'partdesk plant join --database-url URL --code CODE' here.</source>
            <translation>本机未加入数据库为 {where} 的工厂：请向管理员索取加入码（在已加入的电脑上运行 'partdesk --user NAME plant invite'），然后在本机运行 'partdesk plant join --database-url URL --code CODE'。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/plant.py" line="40" />
            <source>This PC was removed from the plant on {date} by {by}; ask an administrator for a new join code and run 'partdesk plant join --database-url URL --code CODE' again.</source>
            <translation>本机已于 {date} 被 {by} 从工厂移除；请向管理员索取新的加入码，并再次运行 'partdesk plant join --database-url URL --code CODE'。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/plant.py" line="56" />
            <source>This PC's plant key {path} cannot be read ({detail}); ask an administrator for a join code and run 'partdesk plant join --database-url URL --code CODE' again.</source>
            <translation>无法读取本机的工厂密钥 {path}（{detail}）；请向管理员索取加入码，并再次运行 'partdesk plant join --database-url URL --code CODE'。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/plant.py" line="45" />
            <source>This PC's plant key {path} does not open the plant's site key (it belongs to another plant or was altered); ask an administrator for a join code and run 'partdesk plant join --database-url URL --code CODE' again.</source>
            <translation>本机的工厂密钥 {path} 无法打开工厂的站点密钥（它属于另一个工厂或已被改动）；请向管理员索取加入码，并再次运行 'partdesk plant join --database-url URL --code CODE'。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/paths.py" line="158" />
            <source>This PC's plant settings {path} cannot be read ({detail}); run 'partdesk plant join --database-url URL --code CODE' again with a join code from an administrator.</source>
            <translation>无法读取本机的工厂设置 {path}（{detail}）；请使用管理员提供的加入码再次运行 'partdesk plant join --database-url URL --code CODE'。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/database.py" line="148" />
            <source>This PartDesk has no driver for the database {where} ({module} is missing); install the plant build, which has the PostgreSQL driver.</source>
            <translation>此 PartDesk 没有数据库 {where} 的驱动程序（缺少 {module}）；请安装带有 PostgreSQL 驱动程序的工厂版。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/folder_warnings.py" line="36" />
            <source>This computer's clock says {now}, earlier than the last change recorded here ({last}): check the date and time settings. Until then, validity and due dates are judged from {last_day}.</source>
            <translation>本计算机的时钟显示 {now}，早于此处记录的最后一次更改（{last}）：请检查日期和时间设置。在此之前，有效期和到期日按 {last_day} 判断。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/site.py" line="65" />
            <source>This data folder already belongs to site {code}.</source>
            <translation>此数据文件夹已属于站点 {code}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/site.py" line="153" />
            <source>This data folder has no site yet; run the first-time set-up.</source>
            <translation>此数据文件夹尚无站点；请运行首次设置。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/site.py" line="43" />
            <source>This data folder's site record is missing; run 'partdesk verify'.</source>
            <translation>此数据文件夹的站点记录缺失；请运行“partdesk verify”。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/migrations.py" line="91" />
            <source>This database was written by a newer PartDesk (schema {revision}); install the newer version to open it.</source>
            <translation>此数据库由较新的 PartDesk 写入（架构 {revision}）；请安装较新版本以打开它。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="107" />
            <location filename="../../desktop_app/services/deviations.py" line="265" />
            <source>This decision needs a reason, which is recorded with the signature.</source>
            <translation>此决定需要说明原因，原因将与签名一起记录。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="82" />
            <source>This is not a join code: it has 25 letters and digits in five groups, as 'partdesk plant invite' printed it.</source>
            <translation>这不是加入码：加入码由 25 个字母和数字组成，分为五组，与 'partdesk plant invite' 打印的一致。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/keys.py" line="45" />
            <source>This is not an Ed25519 public key.</source>
            <translation>这不是 Ed25519 公钥。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="87" />
            <source>This join code does not open the plant's key in {where}: check it, or ask an administrator for a new one ('partdesk plant invite').</source>
            <translation>此加入码无法打开 {where} 中的工厂密钥：请检查，或向管理员索取新的加入码（'partdesk plant invite'）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="97" />
            <source>This join code expired on {date}; ask an administrator for a new one ('partdesk plant invite').</source>
            <translation>此加入码已于 {date} 过期；请向管理员索取新的加入码（'partdesk plant invite'）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="92" />
            <source>This join code was already used on {date}; ask an administrator for a new one ('partdesk plant invite').</source>
            <translation>此加入码已于 {date} 使用过；请向管理员索取新的加入码（'partdesk plant invite'）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/sync_keys.py" line="130" />
            <source>This key of site {code} is already enrolled (retired: {retired}).</source>
            <translation>站点 {code} 的此密钥已登记（已停用：{retired}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/context.py" line="150" />
            <source>This site's signing key is missing from {path}.</source>
            <translation>{path} 中缺少本站点的签名密钥。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/roadmap.py" line="279" />
            <source>This step was edited at two sites; merge it before signing.</source>
            <translation>此步骤在两个站点被编辑；签署前请先合并。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="60" />
            <source>This submission cannot be {action}: {first} (problems found: {count}; see the check list).</source>
            <translation>此提交无法{action}：{first}（发现的问题数：{count}；见检查清单）。</translation>
        </message>
        <message>
            <source>This submission cannot be {action}: {first} ({count} problem(s) in all; see the check list).</source>
            <translation type="vanished">此提交无法{action}：{first}（共 {count} 个问题；见检查清单）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="153" />
            <source>This submission is approved as it stands; it needs no new approval.</source>
            <translation>此提交按现状已获批准；无需重新批准。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/roadmap.py" line="289" />
            <source>This version of the step is already signed for that party.</source>
            <translation>此版本的步骤已由该方签署。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="241" />
            <source>Tolerances need a nominal value.</source>
            <translation>公差需要名义值。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="69" />
            <source>Too many failed sign-ins for {user}; try again in {seconds} seconds.</source>
            <translation>{user} 登录失败次数过多；请在 {seconds} 秒后重试。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="161" />
            <source>Two milestones fall at the end of the same year.</source>
            <translation>两个里程碑落在同一年年底。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="63" />
            <source>a 7-Zip archive</source>
            <translation>7-Zip 压缩包</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="65" />
            <source>a GIF image</source>
            <translation>GIF 图像</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="62" />
            <source>a RAR archive</source>
            <translation>RAR 压缩包</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="57" />
            <source>a Windows program</source>
            <translation>Windows 程序</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="137" />
            <source>a ZIP archive (not an Excel workbook)</source>
            <translation>ZIP 压缩包（不是 Excel 工作簿）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="66" />
            <source>a binary DXF drawing</source>
            <translation>二进制 DXF 图纸</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="64" />
            <source>a compressed archive</source>
            <translation>压缩包</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="58" />
            <location filename="../../desktop_app/files/sniff.py" line="59" />
            <source>a program</source>
            <translation>程序</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="60" />
            <source>a script</source>
            <translation>脚本</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="61" />
            <source>an old Office document</source>
            <translation>旧版 Office 文档</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/audit.py" line="415" />
            <source>audit log: a seal names entry {seq}, but the log ends at entry {head} (entries were removed).</source>
            <translation>审计日志：某个封签指向第 {seq} 条，但日志止于第 {head} 条（有条目被删除）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="342" />
            <source>audit log: backup {name} holds the log up to entry {seq}, but the log ends at entry {head} (entries were removed).</source>
            <translation>审计日志：备份 {name} 中的日志截至第 {seq} 条，但日志止于第 {head} 条（有条目被删除）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/audit.py" line="425" />
            <source>audit log: entries {first} to {last} are not sealed by this site's key.</source>
            <translation>审计日志：第 {first} 至 {last} 条未用本站点的密钥封签。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="347" />
            <source>audit log: entry {seq} differs from backup {name} (the log was rewritten).</source>
            <translation>审计日志：第 {seq} 条与备份 {name} 不一致（日志已被改写）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="333" />
            <source>audit log: entry {seq} differs from the anchor file (the log was rewritten).</source>
            <translation>审计日志：第 {seq} 条与锚定文件不一致（日志已被改写）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="355" />
            <source>audit log: entry {seq} differs from the head sent in package {sequence} on {date} (the log was rewritten).</source>
            <translation>审计日志：第 {seq} 条与 {date} 随第 {sequence} 号数据包发送的日志头部不一致（日志已被改写）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="365" />
            <source>audit log: entry {seq} differs from the one site {site} holds (as of {at}); the log was rewritten.</source>
            <translation>审计日志：第 {seq} 条与站点 {site} 所持有的不一致（以 {at} 为准）；日志已被改写。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/audit.py" line="420" />
            <source>audit log: none of its {count} entries is sealed by this site's key (a folder from before sealing, or the seals were removed); the next change made here seals the log.</source>
            <translation>审计日志：其 {count} 个条目均未用本站点的密钥封签（文件夹早于封签功能，或封签已被删除）；此处的下一次更改将对日志封签。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="350" />
            <source>audit log: package {sequence} sent on {date} carried the log up to entry {seq}, but the log ends at entry {head} (entries were removed).</source>
            <translation>审计日志：{date} 发送的第 {sequence} 号数据包所带日志截至第 {seq} 条，但日志止于第 {head} 条（有条目被删除）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="360" />
            <source>audit log: site {site} holds this log up to entry {seq} (as of {at}), but the log ends at entry {head} (entries were removed).</source>
            <translation>审计日志：站点 {site} 持有的此日志截至第 {seq} 条（以 {at} 为准），但日志止于第 {head} 条（有条目被删除）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="328" />
            <source>audit log: the anchor file holds the log up to entry {seq}, but the log ends at entry {head} (entries were removed).</source>
            <translation>审计日志：锚定文件中的日志截至第 {seq} 条，但日志止于第 {head} 条（有条目被删除）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="322" />
            <source>audit log: the anchor file {path} cannot be read ({detail}).</source>
            <translation>审计日志：无法读取锚定文件 {path}（{detail}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="317" />
            <source>audit log: the anchor file {path} is missing although the log is sealed (deleted?); the next change made here writes a new one and records that in the log.</source>
            <translation>审计日志：日志已封签，但锚定文件 {path} 缺失（已被删除？）；此处的下一次更改将写入新的锚定文件，并在日志中记录此事。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="325" />
            <source>audit log: the anchor file {path} is not signed by this site's key (altered).</source>
            <translation>审计日志：锚定文件 {path} 未用本站点的密钥签名（已被篡改）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="336" />
            <source>audit log: the head of backup {name} cannot be read ({detail}).</source>
            <translation>审计日志：无法读取备份 {name} 的日志头部（{detail}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="339" />
            <source>audit log: the head recorded for backup {name} is not signed by this site's key.</source>
            <translation>审计日志：为备份 {name} 记录的日志头部未用本站点的密钥签名。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/audit.py" line="400" />
            <source>audit log: the site key is missing or cannot be read, so its {count} seals cannot be checked.</source>
            <translation>审计日志：站点密钥缺失或无法读取，因此无法校验其 {count} 个封签。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/audit.py" line="410" />
            <source>audit log: {count} seals are not signed by this site's key, the first at entry {seq} (forged or altered).</source>
            <translation>审计日志：有 {count} 个封签未用本站点的密钥签名，第一个位于第 {seq} 条（伪造或篡改）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/audit.py" line="405" />
            <source>audit log: {count} seals do not match their entries, the first at entry {seq} (entries were changed after they were sealed).</source>
            <translation>审计日志：有 {count} 个封签与其条目不符，第一个位于第 {seq} 条（条目在封签后被更改）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="143" />
            <source>binary data of an unknown kind</source>
            <translation>未知类型的二进制数据</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="66" />
            <source>move the file away, or choose another data folder</source>
            <translation>请将该文件移走，或选择其他数据文件夹</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="62" />
            <source>no backup in {backups} verifies, so bring back a copy of the whole folder from elsewhere</source>
            <translation>{backups} 中没有任何备份通过验证，请从别处取回整个文件夹的副本</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="243" />
            <source>the component family “{value}” is not in the list of families.</source>
            <translation>组件系列“{value}”不在系列列表中。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="251" />
            <source>the status “{value}” is not one of in development, released, obsolete.</source>
            <translation>状态“{value}”不是以下之一：开发中、已发布、已废弃。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="271" />
            <source>the supplier “{value}” is not registered (a strict import creates no supplier).</source>
            <translation>供应商“{value}”未登记（严格导入不会创建供应商）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="259" />
            <source>the vehicle model “{value}” is not registered.</source>
            <translation>车型“{value}”未登记。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="93" />
            <source>{action} is not a decision.</source>
            <translation>{action} 不是一个决定。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="82" />
            <source>{file}, line {line}: {message}</source>
            <translation>{file}，第 {line} 行：{message}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="345" />
            <source>{key} gives a value of characteristic {index}, which the file does not describe (no K2001/{index} …).</source>
            <translation>{key} 给出了特性 {index} 的值，但文件没有描述该特性（没有 K2001/{index} …）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="291" />
            <source>{key} has no valid characteristic index (such as /1, /2, or /0 for every characteristic).</source>
            <translation>{key} 没有有效的特性编号（例如 /1、/2，或表示所有特性的 /0）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="317" />
            <source>{key} is characteristic type {value}; this import reads 0 (variable) and 1 (attribute).</source>
            <translation>{key} 的特性类型为 {value}；本导入只读取 0（计量型）和 1（计数型）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="437" />
            <source>{key} names characteristic {index}, but the file has {count} (K0100).</source>
            <translation>{key} 指向特性 {index}，但文件只有 {count} 个特性（K0100）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="334" />
            <source>{key} needs the index of one characteristic (/1, /2 …), not /0.</source>
            <translation>{key} 需要单个特性的编号（/1、/2 …），而不是 /0。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="414" />
            <source>{key} should be a date and time such as 13.05.2025/08:15:00, not "{value}".</source>
            <translation>{key} 应为日期和时间，例如 13.05.2025/08:15:00，而不是“{value}”。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="393" />
            <source>{key} should be a number, not "{value}".</source>
            <translation>{key} 应为数字，而不是“{value}”。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="407" />
            <source>{key} should be a subgroup size from 1 to {most}, not "{value}".</source>
            <translation>{key} 应为 1 到 {most} 之间的子组大小，而不是“{value}”。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="398" />
            <location filename="../../desktop_app/files/aqdef.py" line="403" />
            <source>{key} should be a whole number, not "{value}".</source>
            <translation>{key} 应为整数，而不是“{value}”。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="301" />
            <source>{key} starts a second part; import a file of one part.</source>
            <translation>{key} 开始了第二个零件；请导入只含一个零件的文件。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/sync_keys.py" line="46" />
            <source>{kinds}: no such kind of record a site may be allowed to write.</source>
            <translation>{kinds}：不是可授权站点写入的记录类型。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="106" />
            <source>{label}: answer yes, no or n/a.</source>
            <translation>{label}：请回答是、否或不适用。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="113" />
            <source>{label}: write a number.</source>
            <translation>{label}：请填写一个数字。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="109" />
            <source>{label}: write the date as YYYY-MM-DD.</source>
            <translation>{label}：请按 YYYY-MM-DD 格式填写日期。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="104" />
            <source>{member} in the package does not match its hash; it was altered.</source>
            <translation>数据包中的 {member} 与其哈希值不符；已被篡改。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="52" />
            <source>{member} in the package expands far beyond its compressed size (a compression bomb); it was refused.</source>
            <translation>数据包中的 {member} 解压后远超其压缩大小（压缩炸弹）；已被拒绝。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="47" />
            <source>{member} in the package is larger than allowed ({limit} bytes); it was refused.</source>
            <translation>数据包中的 {member} 超过允许大小（{limit} 字节）；已被拒绝。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="58" />
            <source>{member} in the package is not the size its headers or manifest say.</source>
            <translation>数据包中的 {member} 与其头部或清单所述大小不符。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="72" />
            <source>{member} in the package is not valid strict JSON (line {line}: {detail}).</source>
            <translation>数据包中的 {member} 不是有效的严格 JSON（第 {line} 行：{detail}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/roadmap.py" line="242" />
            <source>{model} already has a roadmap step {code}.</source>
            <translation>{model} 已有路线图步骤 {code}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="450" />
            <source>{name} describes no characteristic (no K2001 … fields).</source>
            <translation>{name} 没有描述任何特性（没有 K2001 … 字段）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="277" />
            <source>{name} has no sheet {sheet}; its sheets are: {sheets}.</source>
            <translation>{name} 没有工作表 {sheet}；其工作表为：{sheets}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="161" />
            <source>{name} holds only values; its description {stem}.dfd is not beside it.</source>
            <translation>{name} 只包含数值；其描述文件 {stem}.dfd 不在同一位置。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/attachments.py" line="116" />
            <source>{name} is already attached here as {existing} (same content, SHA-256 {sha}).</source>
            <translation>{name} 已作为 {existing} 附加于此（内容相同，SHA-256 {sha}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/backup.py" line="350" />
            <source>{name} is damaged ({detail}); it was not restored.</source>
            <translation>{name} 已损坏（{detail}）；未恢复。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="124" />
            <location filename="../../desktop_app/files/sniff.py" line="176" />
            <source>{name} is empty.</source>
            <translation>{name} 为空。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="123" />
            <source>{name} is larger than the largest package accepted ({limit} bytes).</source>
            <translation>{name} 超过可接受的最大数据包（{limit} 字节）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/blobs.py" line="227" />
            <source>{name} is larger than the limit of {limit} MB.</source>
            <translation>{name} 超过 {limit} MB 的上限。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="198" />
            <location filename="../../desktop_app/files/sniff.py" line="192" />
            <source>{name} is named as a Q-DAS AQDEF file but holds binary data.</source>
            <translation>{name} 以 Q-DAS AQDEF 文件命名，但包含的是二进制数据。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="179" />
            <source>{name} is named as a Q-DAS AQDEF file but is a PDF document.</source>
            <translation>{name} 以 Q-DAS AQDEF 文件命名，但实际是 PDF 文档。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="183" />
            <source>{name} is named as a Q-DAS AQDEF file but is a ZIP archive (or an Excel workbook).</source>
            <translation>{name} 以 Q-DAS AQDEF 文件命名，但实际是 ZIP 压缩包（或 Excel 工作簿）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="187" />
            <source>{name} is named as a Q-DAS AQDEF file but is an image.</source>
            <translation>{name} 以 Q-DAS AQDEF 文件命名，但实际是图片。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="197" />
            <source>{name} is named as a Q-DAS AQDEF file but its first line is no K-field (such as K0100 or K1001).</source>
            <translation>{name} 以 Q-DAS AQDEF 文件命名，但其第一行不是 K 字段（例如 K0100 或 K1001）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/backup.py" line="344" />
            <source>{name} is not a PartDesk backup ({detail}).</source>
            <translation>{name} 不是 PartDesk 备份（{detail}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/sync_keys.py" line="52" />
            <source>{name} is not a PartDesk site key file ({detail}).</source>
            <translation>{name} 不是 PartDesk 站点密钥文件（{detail}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="156" />
            <source>{name} is not a Q-DAS AQDEF file (.dfq, .dfd, .dfx).</source>
            <translation>{name} 不是 Q-DAS AQDEF 文件（.dfq、.dfd、.dfx）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="17" />
            <source>{name} is not a complete PartDesk package (damaged or truncated: {detail}).</source>
            <translation>{name} 不是完整的 PartDesk 数据包（已损坏或被截断：{detail}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="72" />
            <source>{name} is not an allowed file type ({allowed}); its content looks like {looks_like}.</source>
            <translation>{name} 不是允许的文件类型（{allowed}）；其内容看起来是{looks_like}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/sync_keys.py" line="123" />
            <source>{name} is this site's own key.</source>
            <translation>{name} 是本站点自己的密钥。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/attachments.py" line="218" />
            <source>{name} is too large to preview; open it instead.</source>
            <translation>{name} 太大，无法预览；请直接打开。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/attachments.py" line="86" />
            <location filename="../../desktop_app/storage/blobs.py" line="158" />
            <source>{name} is {size} MB, above the limit of {limit} MB.</source>
            <translation>{name} 为 {size} MB，超过 {limit} MB 的上限。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="50" />
            <source>{path} could not be written ({detail}), and nothing was changed.</source>
            <translation>无法写入 {path}（{detail}），未作任何更改。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="35" />
            <source>{path} is held by another program (an antivirus or a search indexer, perhaps), and nothing was changed; try again in a moment.</source>
            <translation>{path} 正被其他程序占用（可能是杀毒软件或搜索索引程序），未作任何更改；请稍后再试。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/conflicts.py" line="139" />
            <source>{rev} is not one of the competing versions of {key}.</source>
            <translation>{rev} 不是 {key} 的冲突版本之一。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_schemas.py" line="322" />
            <source>{type} record {record}: a deletion carries no fields, but {name} is not empty.</source>
            <translation>{type} 记录 {record}：删除操作不带任何字段，但字段 {name} 不为空。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_schemas.py" line="324" />
            <source>{type} record {record}: a deletion names no earlier revision in {name}.</source>
            <translation>{type} 记录 {record}：删除操作未在字段 {name} 中指明任何先前修订。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_schemas.py" line="318" />
            <source>{type} record {record}: this kind of record is not known to this version.</source>
            <translation>{type} 记录 {record}：此版本不识别这种记录类型。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="32" />
            <source>{type} record {record}: {name} holds a character that cannot be stored (NUL or a lone surrogate).</source>
            <translation>{type} 记录 {record}：字段 {name} 含有无法存储的字符（NUL 或孤立代理项）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="58" />
            <source>{type} record {record}: {name} holds more than {limit} entries.</source>
            <translation>{type} 记录 {record}：字段 {name} 的条目超过 {limit} 个。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="49" />
            <source>{type} record {record}: {name} is a number too large or too close to zero (1E-12 to 1E+13 in size).</source>
            <translation>{type} 记录 {record}：字段 {name} 的数值过大或过于接近零（数量级应在 1E-12 至 1E+13 之间）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="30" />
            <source>{type} record {record}: {name} is longer than {limit} characters.</source>
            <translation>{type} 记录 {record}：字段 {name} 超过 {limit} 个字符。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="28" />
            <source>{type} record {record}: {name} is missing.</source>
            <translation>{type} 记录 {record}：缺少字段 {name}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="54" />
            <source>{type} record {record}: {name} is not 64 hexadecimal digits (a hash or a key).</source>
            <translation>{type} 记录 {record}：字段 {name} 不是 64 位十六进制数字（哈希值或密钥）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="44" />
            <source>{type} record {record}: {name} is not a UTC time stamp such as 2026-01-31T08:00:00.000000Z.</source>
            <translation>{type} 记录 {record}：字段 {name} 不是 UTC 时间戳（例如 2026-01-31T08:00:00.000000Z）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="42" />
            <source>{type} record {record}: {name} is not a date (YYYY-MM-DD).</source>
            <translation>{type} 记录 {record}：字段 {name} 不是日期（YYYY-MM-DD）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="47" />
            <source>{type} record {record}: {name} is not a decimal number written as text.</source>
            <translation>{type} 记录 {record}：字段 {name} 不是以文本形式书写的十进制数。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="26" />
            <source>{type} record {record}: {name} is not a field of this kind of record.</source>
            <translation>{type} 记录 {record}：{name} 不是此类记录的字段。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="56" />
            <source>{type} record {record}: {name} is not a list.</source>
            <translation>{type} 记录 {record}：字段 {name} 不是列表。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="52" />
            <source>{type} record {record}: {name} is not a record id (a UUID in lower case).</source>
            <translation>{type} 记录 {record}：字段 {name} 不是记录 ID（小写的 UUID）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="37" />
            <source>{type} record {record}: {name} is not a whole number.</source>
            <translation>{type} 记录 {record}：字段 {name} 不是整数。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="57" />
            <source>{type} record {record}: {name} is not an object.</source>
            <translation>{type} 记录 {record}：字段 {name} 不是对象。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="41" />
            <source>{type} record {record}: {name} is not one of {allowed}.</source>
            <translation>{type} 记录 {record}：字段 {name} 不是 {allowed} 之一。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="29" />
            <source>{type} record {record}: {name} is not text.</source>
            <translation>{type} 记录 {record}：字段 {name} 不是文本。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="40" />
            <source>{type} record {record}: {name} is not true or false.</source>
            <translation>{type} 记录 {record}：字段 {name} 不是“真”或“假”。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="35" />
            <source>{type} record {record}: {name} is not written in the form this field takes.</source>
            <translation>{type} 记录 {record}：字段 {name} 的书写格式不符合该字段的要求。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="38" />
            <source>{type} record {record}: {name} is outside the range {low} to {high}.</source>
            <translation>{type} 记录 {record}：字段 {name} 超出 {low} 至 {high} 的范围。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_schemas.py" line="320" />
            <source>{type} record {record}: {name} names the same revision twice.</source>
            <translation>{type} 记录 {record}：字段 {name} 两次指向同一修订。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="54" />
            <source>{user} ({role}) is not allowed to {action}.</source>
            <translation>{user}（{role}）无权{action}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/roadmap.py" line="285" />
            <source>{user} already signed this step for the other party; each party signs with its own person.</source>
            <translation>{user} 已代表另一方签署此步骤；每一方须由本方人员签署。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/people.py" line="430" />
            <source>{user} is the last active administrator; appoint another first.</source>
            <translation>{user} 是最后一位在职管理员；请先任命另一位。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="184" />
            <source>{user} prepared this submission and cannot approve it; another approver must decide.</source>
            <translation>{user} 准备了此提交，不能批准；须由另一位审批人决定。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="188" />
            <source>{user} produced evidence in this submission and cannot approve it; another approver must decide.</source>
            <translation>{user} 提供了此提交中的证据，不能批准；须由另一位审批人决定。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="312" />
            <source>{user} requested this deviation and cannot decide on it; the customer's approver must.</source>
            <translation>{user} 申请了此偏差许可，不能对其作出决定；应由客户的批准人决定。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/blobs.py" line="83" />
            <source>{value} is not a SHA-256 hash.</source>
            <translation>{value} 不是 SHA-256 哈希值。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="297" />
            <source>{what} '{value}' is not a date (YYYY-MM-DD).</source>
            <translation>{what}“{value}”不是日期（YYYY-MM-DD）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="157" />
            <source>{what} '{value}' is not a number.</source>
            <translation>{what}“{value}”不是数字。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="63" />
            <source>{what} '{value}' is not one of: {allowed}.</source>
            <translation>{what}“{value}”不在以下范围：{allowed}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="97" />
            <source>{what} {key} belongs to another site; it can only be changed there.</source>
            <translation>{what} {key} 属于另一站点；只能在该站点更改。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="49" />
            <source>{what} {key} does not exist.</source>
            <translation>{what} {key} 不存在。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="88" />
            <source>{what} {key} was changed by {author} since you opened it; reopen it and retry.</source>
            <translation>自您打开后，{what} {key} 已被 {author} 更改；请重新打开后重试。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="81" />
            <source>{what} {key} was edited at two sites; a person must merge the versions first.</source>
            <translation>{what} {key} 在两个站点被编辑；须先由人员合并各版本。</translation>
        </message>
    </context>
    <context>
        <name>Evidence</name>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="430" />
            <source>%GRR is {value} % of the tolerance, above 30 %: unacceptable; improve the measurement system.</source>
            <translation>%GRR 占公差 {value} %，高于 30 %：不可接受；请改进测量系统。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="427" />
            <source>%GRR is {value} % of the tolerance, between 10 and 30 %: it may be acceptable depending on the application, with the customer's agreement.</source>
            <translation>%GRR 占公差 {value} %，介于 10 % 与 30 % 之间：视应用而定，经客户同意可接受。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="424" />
            <source>%GRR is {value} % of the total variation, above 30 %: unacceptable; improve the measurement system.</source>
            <translation>%GRR 占总变差 {value} %，高于 30 %：不可接受；请改进测量系统。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="421" />
            <source>%GRR is {value} % of the total variation, between 10 and 30 %: it may be acceptable depending on the application, with the customer's agreement.</source>
            <translation>%GRR 占总变差 {value} %，介于 10 % 与 30 % 之间：视应用而定，经客户同意可接受。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/measurement_grid.py" line="110" />
            <source>'{value}' is neither OK nor NG.</source>
            <translation>“{value}”既不是 OK 也不是 NG。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/measurement_grid.py" line="112" />
            <source>'{value}' is not a number of defects (0, 1, 2 …).</source>
            <translation>“{value}”不是缺陷数（0、1、2 …）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/measurement_grid.py" line="114" />
            <source>'{value}' is not a number.</source>
            <translation>“{value}”不是数字。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="85" />
            <source>Acceptable</source>
            <translation>可接受</translation>
        </message>
        <message>
            <source>Acceptable (≥ 1.67)</source>
            <translation type="vanished">可接受（≥ 1.67）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="293" />
            <source>All readings are equal: the spread is below the gauge resolution and the indices cannot be computed.</source>
            <translation>所有读数相同：离散度低于量具分辨率，无法计算指数。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="147" />
            <source>Any nonconforming part fails a PPAP sample unless the customer agreed (a deviation).</source>
            <translation>任何不合格件都会使 PPAP 样件不合格，除非客户同意（偏差许可）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="68" />
            <source>Appearance</source>
            <translation>外观</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="227" />
            <source>Appraiser {operator} agrees with the reference with kappa {kappa}, below 0.40: poor agreement.</source>
            <translation>评价人 {operator} 与基准的一致性 kappa 为 {kappa}，低于 0.40：一致性差。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="232" />
            <source>Appraiser {operator} agrees with the reference with kappa {kappa}, not above 0.75.</source>
            <translation>评价人 {operator} 与基准的一致性 kappa 为 {kappa}，未高于 0.75。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="215" />
            <source>Appraiser {operator}: effectiveness {effectiveness} %, miss rate {miss} %, false alarm rate {false_alarm} %: marginally acceptable (90 %, 2 %, 5 % are acceptable); the customer must agree.</source>
            <translation>评价人 {operator}：有效性 {effectiveness} %，漏判率 {miss} %，误判率 {false_alarm} %：勉强可接受（90 %、2 %、5 % 为可接受）；须经客户同意。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="221" />
            <source>Appraiser {operator}: effectiveness {effectiveness} %, miss rate {miss} %, false alarm rate {false_alarm} %: unacceptable (at least 80 %, at most 5 % and 10 %).</source>
            <translation>评价人 {operator}：有效性 {effectiveness} %，漏判率 {miss} %，误判率 {false_alarm} %：不可接受（至少 80 %，至多 5 % 和 10 %）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="167" />
            <source>Appraisers {first} and {second} agree with each other with kappa {kappa}, not above 0.75.</source>
            <translation>评价人 {first} 与 {second} 之间的一致性 kappa 为 {kappa}，未高于 0.75。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="40" />
            <source>Attribute (OK / NG)</source>
            <translation>计数型（OK / NG）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="41" />
            <source>Attribute (defects per sample)</source>
            <translation>计数型（每个样件的缺陷数）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="68" />
            <source>Attribute agreement</source>
            <translation>计数型一致性</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="64" />
            <source>Capability study</source>
            <translation>能力研究</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="191" />
            <source>Characteristic {number}: the file's limits ({file}) differ from this part's ({part}); the part's limits grade the readings.</source>
            <translation>特性 {number}：文件中的界限（{file}）与该零件的界限（{part}）不同；读数按零件的界限判定。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="204" />
            <source>Characteristic {number}: the gauge named in the file ({codes}, K0012) is not one gauge of the register; the characteristic's own gauge is recorded.</source>
            <translation>特性 {number}：文件中指明的量具（{codes}，K0012）不是登记册中的单一量具；记录该特性自己的量具。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="121" />
            <source>Characteristic {number}: {count} reading(s) that the measuring program excluded (K0002 255 or 256) are left out.</source>
            <translation>特性 {number}：测量软件已排除的 {count} 个读数（K0002 为 255 或 256）未被导入。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="95" />
            <source>Conforming</source>
            <translation>合格</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="32" />
            <source>Critical (CC)</source>
            <translation>关键（CC）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="63" />
            <source>Dimensional</source>
            <translation>尺寸</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="112" />
            <source>Drawing</source>
            <translation>图纸</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="67" />
            <source>Durability</source>
            <translation>耐久</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="217" />
            <source>Equipment (repeatability)</source>
            <translation>设备（重复性）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="81" />
            <source>External laboratory</source>
            <translation>外部实验室</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="46" />
            <source>Fail</source>
            <translation>不通过</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="67" />
            <source>Gauge R&amp;R (ANOVA)</source>
            <translation>量具 R&amp;R（方差分析）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="343" />
            <source>Gauge {code} was not in calibration on {day} (due {due}): characteristic {number} is marked for an impact assessment (IATF 16949 7.1.5.2.1).</source>
            <translation>量具 {code} 在 {day} 不在校准有效期内（到期日 {due}）：特性 {number} 已标记为需进行影响评估（IATF 16949 7.1.5.2.1）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="80" />
            <source>Internal laboratory</source>
            <translation>内部实验室</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="65" />
            <source>Material</source>
            <translation>材料</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="113" />
            <source>Material certificate EN 10204 2.1</source>
            <translation>材质证书 EN 10204 2.1</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="114" />
            <source>Material certificate EN 10204 2.2</source>
            <translation>材质证书 EN 10204 2.2</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="115" />
            <source>Material certificate EN 10204 3.1</source>
            <translation>材质证书 EN 10204 3.1</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="116" />
            <source>Material certificate EN 10204 3.2</source>
            <translation>材质证书 EN 10204 3.2</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="86" />
            <source>May be acceptable (customer agreement)</source>
            <translation>可能可接受（需客户同意）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="65" />
            <source>Meets (&gt; 1.67)</source>
            <translation>满足（&gt; 1.67）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="63" />
            <source>Needs customer agreement (1.33 to 1.67)</source>
            <translation>需客户同意（1.33 至 1.67）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="47" />
            <source>No data</source>
            <translation>无数据</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="62" />
            <source>Not acceptable (&lt; 1.33)</source>
            <translation>不可接受（&lt; 1.33）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="96" />
            <source>Not conforming</source>
            <translation>不合格</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="94" />
            <source>Not stated</source>
            <translation>未说明</translation>
        </message>
        <message>
            <source>One-sided limit: Cp and Pp do not exist; Cpk and Ppk use the one side.</source>
            <translation type="vanished">单边公差：Cp 和 Pp 不存在；Cpk 和 Ppk 仅按单侧计算。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="280" />
            <source>One-sided limit: Cp and Pp do not exist; Cpk and Ppk use the one side. The acceptance bands are written for two-sided limits: agree the criteria with the customer.</source>
            <translation>单边公差：Cp 和 Pp 不存在；Cpk 和 Ppk 仅使用一侧。接收区间是针对双边公差制定的：请与客户商定准则。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="267" />
            <source>Only {n} readings: capability needs at least {min} (about {wanted} wanted), so these indices are indicative only.</source>
            <translation>仅有 {n} 个读数：能力研究至少需要 {min} 个（建议约 {wanted} 个），因此这些指数仅供参考。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="214" />
            <source>Operators</source>
            <translation>操作员</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="216" />
            <source>Operators × parts</source>
            <translation>操作员 × 零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="119" />
            <location filename="../../desktop_app/domain/evidence.py" line="70" />
            <source>Other</source>
            <translation>其他</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/measurement_grid.py" line="212" />
            <source>Outside the limits {limits}</source>
            <translation>超出界限 {limits}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="215" />
            <source>Parts</source>
            <translation>零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="45" />
            <source>Pass</source>
            <translation>通过</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="66" />
            <source>Performance</source>
            <translation>性能</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="118" />
            <source>Photo</source>
            <translation>照片</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="323" />
            <source>Ppk {ppk} is above 1.67: the acceptance criterion is met.</source>
            <translation>Ppk {ppk} 高于 1.67：满足接收准则。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="317" />
            <source>Ppk {ppk} is below 1.33: not acceptable without a deviation agreed with the customer.</source>
            <translation>Ppk {ppk} 低于 1.33：未经与客户商定的偏差许可不可接受。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="320" />
            <source>Ppk {ppk} is between 1.33 and 1.67: acceptable only with the customer's agreement.</source>
            <translation>Ppk {ppk} 介于 1.33 与 1.67 之间：仅在客户同意时可接受。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="297" />
            <source>Process not stable: points beyond the control limits of the {chart} chart: {count}. Capability does not predict an unstable process, so Cpk is not reported: remove the special causes or agree with the customer.</source>
            <translation>过程不稳定：{chart} 图超出控制限的点数：{count}。能力无法预测不稳定的过程，因此不报告 Cpk：请消除特殊原因或与客户商定。</translation>
        </message>
        <message>
            <source>Process not stable: {count} point(s) beyond the control limits of the {chart} chart. Capability does not predict an unstable process, so Cpk is not reported: remove the special causes or agree with the customer.</source>
            <translation type="vanished">过程不稳定：{chart} 图有 {count} 个点超出控制限。能力无法预测不稳定的过程，因此不报告 Cpk：请消除特殊原因或与客户商定。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="69" />
            <source>Salt spray</source>
            <translation>盐雾</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/measurement_grid.py" line="241" />
            <source>Sample {row}, characteristic {number}: '{value}' is not a number.</source>
            <translation>样本 {row}，特性 {number}：“{value}”不是数字。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/measurement_grid.py" line="230" />
            <source>Sample {row}, characteristic {number}: {sentence}</source>
            <translation>样件 {row}，特性 {number}：{sentence}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="33" />
            <source>Significant (SC)</source>
            <translation>重要（SC）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="34" />
            <source>Standard</source>
            <translation>标准</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="117" />
            <source>Test report</source>
            <translation>试验报告</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/laboratories.py" line="105" />
            <source>The ISO/IEC 17025 accreditation {accreditation} of {laboratory} expired on {expired}, before this test: the report cannot stand as qualified laboratory documentation (PPAP element 12).</source>
            <translation>{laboratory} 的 ISO/IEC 17025 认可 {accreditation} 已于 {expired} 到期，早于本次试验：该报告不能作为合格实验室文件（PPAP 第 12 要素）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="253" />
            <source>The external laboratory has no ISO/IEC 17025 accreditation reference; PPAP element 12 asks for one.</source>
            <translation>外部实验室没有 ISO/IEC 17025 认可编号；PPAP 要素 12 要求提供。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="220" />
            <source>The file is for part {file} (K1001), not {part}: check that it is the right file.</source>
            <translation>该文件属于零件 {file}（K1001），而不是 {part}：请确认文件是否正确。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="448" />
            <source>The measurement system tells {ndc} distinct categories of parts apart; at least 5 are required: unacceptable.</source>
            <translation>测量系统可区分 {ndc} 个零件类别；至少需要 5 个：不可接受。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="395" />
            <source>The operator × part interaction is not significant (p = {p}, above 0.25): it is pooled into the repeatability.</source>
            <translation>操作员 × 零件交互作用不显著（p = {p}，高于 0.25）：已并入重复性。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="304" />
            <source>The readings do not look normally distributed (Anderson-Darling A² = {a2}, p = {p}): the indices assume a normal distribution; agree the criteria with the customer.</source>
            <translation>读数看起来不服从正态分布（Anderson-Darling A² = {a2}，p = {p}）：各指数假定正态分布；请与客户商定准则。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="218" />
            <source>Total</source>
            <translation>合计</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="88" />
            <source>Unacceptable</source>
            <translation>不可接受</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="39" />
            <source>Variable (measured)</source>
            <translation>计量型（测量）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="143" />
            <source>{c} defects (u = {u} per unit)</source>
            <translation>{c} 个缺陷（u = 每单位 {u}）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="273" />
            <source>{n} readings in {subgroups} subgroups: a preliminary study wants at least {wanted} readings from {groups} subgroups; the customer must agree to the smaller study.</source>
            <translation>{subgroups} 个子组共 {n} 个读数：初始研究至少需要 {groups} 个子组的 {wanted} 个读数；客户须同意较小的研究。</translation>
        </message>
        <message>
            <source>{n} readings: enough for an estimate; about {wanted} are wanted.</source>
            <translation type="vanished">{n} 个读数：足以进行估算；建议约 {wanted} 个。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="139" />
            <source>{n} samples: {np} nonconforming (np = {np}, p = {p})</source>
            <translation>{n} 个样件：{np} 个不合格（np = {np}，p = {p}）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/laboratories.py" line="112" />
            <source>{standard} is outside the ISO/IEC 17025 accreditation scope of {laboratory}.</source>
            <translation>{standard} 不在 {laboratory} 的 ISO/IEC 17025 认可范围内。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/measurement_grid.py" line="377" />
            <source>{value} is outside the limits of characteristic {number} ({limits}).</source>
            <translation>{value} 超出特性 {number} 的界限（{limits}）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="92" />
            <source>σ within from the average moving range (MR̄ / 1.128)</source>
            <translation>组内 σ 由平均移动极差估算（MR̄ / 1.128）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="94" />
            <source>σ within from the average subgroup range (R̄ / d2)</source>
            <translation>组内 σ 由平均子组极差估算（R̄ / d2）</translation>
        </message>
    </context>
    <context>
        <name>EvidenceCharacteristicsWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="86" />
            <source>Add characteristic…</source>
            <translation>添加特性…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="92" />
            <source>Capability</source>
            <translation>能力</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="88" />
            <source>Change…</source>
            <translation>修改…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="91" />
            <source>Class</source>
            <translation>分类</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="90" />
            <source>Description</source>
            <translation>描述</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="127" />
            <source>Edited at two sites: a person must merge the versions.</source>
            <translation>在两个站点被编辑：须由人员合并各版本。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="91" />
            <source>Gauge</source>
            <translation>量具</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="87" />
            <source>Import characteristics…</source>
            <translation>导入特性…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="91" />
            <source>Latest result</source>
            <translation>最新结果</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="90" />
            <source>Limits</source>
            <translation>界限</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="149" />
            <source>No readings</source>
            <translation>无读数</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="90" />
            <source>No.</source>
            <translation>序号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="90" />
            <source>Nominal</source>
            <translation>名义值</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="152" />
            <source>Not computable</source>
            <translation>无法计算</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="147" />
            <source>Only {n} readings (30 needed)</source>
            <translation>仅 {n} 个读数（需要 30 个）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="92" />
            <source>Ppk</source>
            <translation>Ppk</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="91" />
            <source>Unit</source>
            <translation>单位</translation>
        </message>
    </context>
    <context>
        <name>EvidenceFilesWidget</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="238" />
            <source>%Ln files attached.</source>
            <translation>
                <numerusform>已附加 %Ln 个文件。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="197" />
            <source>Attach files</source>
            <translation>附加文件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="127" />
            <source>Attach files…</source>
            <translation>附加文件…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="157" />
            <source>Attach to report {number}</source>
            <translation>附加到报告 {number}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="155" />
            <source>Attach to the part</source>
            <translation>附加到零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="142" />
            <source>Attached</source>
            <translation>附加时间</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="228" />
            <source>Attaching files</source>
            <translation>正在附加文件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="132" />
            <source>Drop files here to attach them (PDF, PNG, JPEG, TIFF, CSV, XLSX, TXT, DXF, STEP).</source>
            <translation>将文件拖放到此处以附加（PDF、PNG、JPEG、TIFF、CSV、XLSX、TXT、DXF、STEP）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="141" />
            <source>File</source>
            <translation>文件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="141" />
            <source>Kind</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="135" />
            <source>Kind: automatic (photo for images)</source>
            <translation>类型：自动（图像为照片）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="128" />
            <source>Open</source>
            <translation>打开</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="141" />
            <source>Report</source>
            <translation>报告</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="142" />
            <source>SHA-256</source>
            <translation>SHA-256</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="288" />
            <source>Save a copy</source>
            <translation>保存副本</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="129" />
            <source>Save a copy…</source>
            <translation>保存副本…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="299" />
            <source>Saved {path}</source>
            <translation>已保存 {path}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="141" />
            <source>Size</source>
            <translation>大小</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="308" />
            <source>Why is {name} withdrawn? (The record keeps its history.)</source>
            <translation>为何撤回 {name}？（记录会保留其历史。）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="307" />
            <source>Withdraw a file</source>
            <translation>撤回文件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="130" />
            <source>Withdraw…</source>
            <translation>撤回…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="319" />
            <source>{name} was withdrawn.</source>
            <translation>{name} 已撤回。</translation>
        </message>
        <message>
            <source>{n} file(s) attached.</source>
            <translation type="vanished">已附加 {n} 个文件。</translation>
        </message>
    </context>
    <context>
        <name>EvidenceImportDialog</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="277" />
            <source>%Ln characteristics</source>
            <translation>
                <numerusform>%Ln 个特性</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="288" />
            <source>%Ln characteristics would be added.</source>
            <translation>
                <numerusform>将添加 %Ln 个特性。</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="276" />
            <source>%Ln readings</source>
            <translation>
                <numerusform>%Ln 个读数</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="191" />
            <source>(automatic)</source>
            <translation>（自动）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="192" />
            <source>(not in the file)</source>
            <translation>（文件中没有）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="388" />
            <source>(the file)</source>
            <translation>（该文件）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="213" />
            <source>AQDEF (*.dfq *.dfd *.dfx)</source>
            <translation>AQDEF (*.dfq *.dfd *.dfx)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="149" />
            <source>Apply</source>
            <translation>应用</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="177" />
            <source>Characteristic</source>
            <translation>特性</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="268" />
            <source>Characteristic {number} is not on this part.</source>
            <translation>特性 {number} 不属于此零件。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="146" />
            <source>Choose a file…</source>
            <translation>选择文件…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="229" />
            <source>Choose the description (.dfd) of {name}</source>
            <translation>选择 {name} 的描述文件（.dfd）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="226" />
            <source>Choose the values (.dfx) of {name}</source>
            <translation>选择 {name} 的数值文件（.dfx）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="397" />
            <source>Chosen by hand</source>
            <translation>手动选择</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="284" />
            <source>Class</source>
            <translation>分类</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="176" />
            <source>Class (CC / SC)</source>
            <translation>分类（CC / SC）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="172" />
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="270" />
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="283" />
            <source>Description</source>
            <translation>描述</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="396" />
            <source>Found by its column names</source>
            <translation>按列名找到</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="177" />
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="178" />
            <source>Gauge</source>
            <translation>量具</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="148" />
            <source>Header row:</source>
            <translation>标题行：</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="291" />
            <source>Ignored columns: {names}</source>
            <translation>已忽略的列：{names}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="144" />
            <source>Import characteristics</source>
            <translation>导入特性</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="145" />
            <source>Import measurements</source>
            <translation>导入测量数据</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="284" />
            <source>Limits</source>
            <translation>界限</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="282" />
            <source>Line</source>
            <translation>行</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="174" />
            <source>Lower limit</source>
            <translation>下限</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="173" />
            <source>Lower tolerance</source>
            <translation>下公差</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="176" />
            <source>Measuring method</source>
            <translation>测量方法</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="397" />
            <source>No header row found</source>
            <translation>未找到标题行</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="270" />
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="283" />
            <source>No.</source>
            <translation>序号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="173" />
            <source>Nominal</source>
            <translation>名义值</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="172" />
            <source>Number (balloon)</source>
            <translation>编号（气泡号）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="347" />
            <source>Operators: {names}</source>
            <translation>操作员：{names}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="271" />
            <source>Outside the limits</source>
            <translation>超出界限</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="178" />
            <source>Reading</source>
            <translation>读数</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="239" />
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="418" />
            <source>Reading {name}</source>
            <translation>读数 {name}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="270" />
            <source>Readings</source>
            <translation>读数</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="344" />
            <source>Readings taken from {first} to {last}.</source>
            <translation>读数采集于 {first} 至 {last}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="342" />
            <source>Readings taken on {day}.</source>
            <translation>读数采集于 {day}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="164" />
            <source>Report type</source>
            <translation>报告类型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="282" />
            <source>Row</source>
            <translation>行</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="147" />
            <source>Sheet:</source>
            <translation>工作表：</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="166" />
            <source>Standard</source>
            <translation>标准</translation>
        </message>
        <message>
            <source>Tables (*.csv *.xlsx *.txt)</source>
            <translation type="vanished">表格 (*.csv *.xlsx *.txt)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="212" />
            <source>Tables (*.csv *.xlsx *.xls *.ods *.txt)</source>
            <translation>表格 (*.csv *.xlsx *.xls *.ods *.txt)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="165" />
            <source>Tested on</source>
            <translation>试验日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="175" />
            <source>Unit</source>
            <translation>单位</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="175" />
            <source>Upper limit</source>
            <translation>上限</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="174" />
            <source>Upper tolerance</source>
            <translation>上公差</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="271" />
            <source>Verdict</source>
            <translation>判定</translation>
        </message>
        <message>
            <source>{n} characteristics would be added.</source>
            <translation type="vanished">将添加 {n} 个特性。</translation>
        </message>
        <message>
            <source>{n} readings of {c} characteristics ({shape} layout).</source>
            <translation type="vanished">{c} 个特性的 {n} 个读数（{shape} 布局）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="275" />
            <source>{readings} of {characteristics} ({shape} layout).</source>
            <translation>{characteristics}的{readings}（{shape} 布局）。</translation>
        </message>
    </context>
    <context>
        <name>EvidenceWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="308" />
            <source>#{number} {description}: {counts}</source>
            <translation>#{number} {description}：{counts}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="319" />
            <source>#{number}: gauge {gauge} was past its calibration due date ({due}) on {day}; an impact assessment is needed (IATF 16949 7.1.5.2.1).</source>
            <translation>#{number}：量具 {gauge} 在 {day} 已超过校准到期日（{due}）；需要进行影响评估（IATF 16949 7.1.5.2.1）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="212" />
            <source>Characteristics</source>
            <translation>特性</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="215" />
            <source>Correct this report…</source>
            <translation>更正此报告…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="314" />
            <source>Corrects an earlier report: {reason}</source>
            <translation>更正先前的报告：{reason}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="252" />
            <source>Current</source>
            <translation>当前有效</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="207" />
            <source>Evidence</source>
            <translation>证据</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="211" />
            <source>Files</source>
            <translation>文件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="214" />
            <source>Import measurements…</source>
            <translation>导入测量数据…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="213" />
            <source>New report…</source>
            <translation>新建报告…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="217" />
            <source>Number</source>
            <translation>编号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="210" />
            <source>Reports</source>
            <translation>报告</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="217" />
            <source>Standard</source>
            <translation>标准</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="218" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="252" />
            <source>Superseded</source>
            <translation>已被取代</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="312" />
            <source>Superseded by a correction; kept as recorded.</source>
            <translation>已被更正取代；按原记录保留。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="217" />
            <source>Tested on</source>
            <translation>试验日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="217" />
            <source>Type</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="218" />
            <source>Verdict</source>
            <translation>判定</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="254" />
            <source>gauge out of calibration</source>
            <translation>量具超出校准期</translation>
        </message>
    </context>
    <context>
        <name>ExportDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="101" />
            <source>Any site: everything</source>
            <translation>任意站点：全部数据</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="98" />
            <source>Choose…</source>
            <translation>选择…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="97" />
            <source>Everything, even what the site has already seen</source>
            <translation>全部数据，包括该站点已收到的内容</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="127" />
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="94" />
            <source>Export a package</source>
            <translation>导出数据包</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="96" />
            <source>File</source>
            <translation>文件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="95" />
            <source>For</source>
            <translation>目标站点</translation>
        </message>
        <message>
            <source>PartDesk packages (*.partdesk *.zip)</source>
            <translation type="vanished">PartDesk 数据包 (*.partdesk *.zip)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="129" />
            <source>PartDesk packages (*.partdesk *.zip);;All files (*)</source>
            <translation>PartDesk 数据包 (*.partdesk *.zip);;所有文件 (*)</translation>
        </message>
    </context>
    <context>
        <name>Families</name>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="54" />
            <source>Battery</source>
            <translation>电池</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="44" />
            <source>Body stamping</source>
            <translation>车身冲压件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="46" />
            <source>Casting</source>
            <translation>铸件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="48" />
            <source>Fastener</source>
            <translation>紧固件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="47" />
            <source>Forging</source>
            <translation>锻件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="49" />
            <source>Glass</source>
            <translation>玻璃</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="52" />
            <source>Harness</source>
            <translation>线束</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="55" />
            <source>Other</source>
            <translation>其他</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="50" />
            <source>Plastic trim</source>
            <translation>塑料内外饰件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="51" />
            <source>Seat</source>
            <translation>座椅</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="53" />
            <source>Tyre</source>
            <translation>轮胎</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="45" />
            <source>Welded assembly</source>
            <translation>焊接总成</translation>
        </message>
    </context>
    <context>
        <name>FilterBanner</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/filter_banner.py" line="59" />
            <source>(shown: {n})</source>
            <translation>（显示：{n}）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/filter_banner.py" line="53" />
            <source>Back to dashboard</source>
            <translation>返回仪表板</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/filter_banner.py" line="52" />
            <source>Show all</source>
            <translation>全部显示</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/filter_banner.py" line="57" />
            <source>Showing only: {filter}</source>
            <translation>仅显示：{filter}</translation>
        </message>
    </context>
    <context>
        <name>FirstRunDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="199" />
            <source>Continue</source>
            <translation>继续</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="198" />
            <source>Create</source>
            <translation>创建</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="192" />
            <source>First administrator</source>
            <translation>首位管理员</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="194" />
            <source>Full name</source>
            <translation>全名</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="188" />
            <source>Kind of site</source>
            <translation>站点类型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="202" />
            <source>Other sites enrol this site's key by this fingerprint: read it to their administrator by telephone or in person, never only by e-mail.</source>
            <translation>其他站点凭此指纹登记本站点的密钥：请通过电话或当面向对方管理员宣读，切勿仅通过电子邮件发送。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="178" />
            <source>PartDesk — First start</source>
            <translation>PartDesk — 首次启动</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="195" />
            <source>Password</source>
            <translation>密码</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="200" />
            <source>Quit</source>
            <translation>退出</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="196" />
            <source>Repeat the password</source>
            <translation>再次输入密码</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="179" />
            <source>Set up this data folder</source>
            <translation>设置此数据文件夹</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="184" />
            <source>Site</source>
            <translation>站点</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="185" />
            <source>Site code</source>
            <translation>站点代码</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="187" />
            <source>Site name</source>
            <translation>站点名称</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="205" />
            <source>Site {code} — {name} is ready. Its key fingerprint:</source>
            <translation>站点 {code} — {name} 已就绪。其密钥指纹：</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="180" />
            <source>This data folder is ready</source>
            <translation>此数据文件夹已就绪</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="182" />
            <source>This folder has no site yet. Name the site that works here and its first administrator; the administrator then adds the other people.</source>
            <translation>此文件夹尚无站点。请填写在此工作的站点及其首位管理员；之后由管理员添加其他人员。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="193" />
            <source>User name</source>
            <translation>用户名</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="186" />
            <source>e.g. MSR</source>
            <translation>例如 MSR</translation>
        </message>
    </context>
    <context>
        <name>GaugeDialog</name>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="92" />
            <source>Add a gauge</source>
            <translation>添加量具</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="96" />
            <source>Calibrated on</source>
            <translation>校准日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="96" />
            <source>Calibration due on</source>
            <translation>校准到期日</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="95" />
            <source>Identifier</source>
            <translation>标识</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="95" />
            <source>Range</source>
            <translation>量程</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="93" />
            <source>Record a calibration</source>
            <translation>记录校准</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="95" />
            <source>Resolution</source>
            <translation>分辨率</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="95" />
            <source>Type</source>
            <translation>类型</translation>
        </message>
    </context>
    <context>
        <name>GaugesPage</name>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="189" />
            <source>Add gauge…</source>
            <translation>添加量具…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="193" />
            <source>Calibrated on</source>
            <translation>校准日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="193" />
            <source>Due on</source>
            <translation>到期日</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="137" />
            <source>Gauges</source>
            <translation>量具</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="187" />
            <source>Gauges register</source>
            <translation>量具登记册</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="192" />
            <source>Identifier</source>
            <translation>标识</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="223" />
            <source>In calibration</source>
            <translation>在校准有效期内</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="157" />
            <source>No gauge matches this search.</source>
            <translation>没有符合此搜索的量具。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="158" />
            <source>No gauge registered yet: add one with “Add gauge…”.</source>
            <translation>尚未登记量具：请通过“添加量具…”添加。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="223" />
            <source>Overdue</source>
            <translation>已逾期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="233" />
            <source>Past its calibration due date: results taken with it need an impact assessment.</source>
            <translation>已超过校准到期日：用其测得的结果需要进行影响评估。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="192" />
            <source>Range</source>
            <translation>量程</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="190" />
            <source>Record calibration…</source>
            <translation>记录校准…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="192" />
            <source>Resolution</source>
            <translation>分辨率</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="188" />
            <source>Search by identifier or type</source>
            <translation>按标识或类型搜索</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="193" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="192" />
            <source>Type</source>
            <translation>类型</translation>
        </message>
    </context>
    <context>
        <name>HistogramWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/histogram_widget.py" line="80" />
            <source>Choose a characteristic to see its readings.</source>
            <translation>选择一个特性以查看其读数。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/histogram_widget.py" line="205" />
            <source>LSL {value}</source>
            <translation>LSL {value}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/histogram_widget.py" line="214" />
            <source>Mean {value}</source>
            <translation>均值 {value}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/histogram_widget.py" line="211" />
            <source>Nominal {value}</source>
            <translation>名义值 {value}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/histogram_widget.py" line="208" />
            <source>USL {value}</source>
            <translation>USL {value}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/histogram_widget.py" line="106" />
            <source>n = {n}</source>
            <translation>n = {n}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/histogram_widget.py" line="110" />
            <source>n = {n}   mean {mean}   Cpk {cpk}   Ppk {ppk}</source>
            <translation>n = {n}   均值 {mean}   Cpk {cpk}   Ppk {ppk}</translation>
        </message>
    </context>
    <context>
        <name>HistoryWidget</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="112" />
            <source>%Ln revisions</source>
            <translation>
                <numerusform>%Ln 个修订</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="94" />
            <source>Deleted: {reason}</source>
            <translation>已删除：{reason}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="82" />
            <source>Loading…</source>
            <translation>正在加载…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="96" />
            <source>Merged: {reason}</source>
            <translation>已合并：{reason}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="71" />
            <source>Site / new value</source>
            <translation>站点 / 新值</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="70" />
            <source>When / field</source>
            <translation>时间 / 字段</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="70" />
            <source>Who / old value</source>
            <translation>操作人 / 旧值</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="71" />
            <source>Why</source>
            <translation>原因</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="31" />
            <source>no</source>
            <translation>否</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="31" />
            <source>yes</source>
            <translation>是</translation>
        </message>
        <message>
            <source>{count} revisions</source>
            <translation type="vanished">{count} 个修订</translation>
        </message>
    </context>
    <context>
        <name>ImportPreviewDialog</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="189" />
            <source>%Ln revisions compete with edits made here; the records will wait for a merge.</source>
            <translation>
                <numerusform>%Ln 个修订与本地编辑冲突；这些记录将等待合并。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="174" />
            <source>Already here</source>
            <translation>已存在</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="174" />
            <source>Conflicting</source>
            <translation>冲突</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="194" />
            <source>Import %Ln new revisions</source>
            <translation>
                <numerusform>导入 %Ln 个新修订</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="172" />
            <source>Import a package</source>
            <translation>导入数据包</translation>
        </message>
        <message>
            <source>Import {n} new revisions</source>
            <translation type="vanished">导入 {n} 个新修订</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="185" />
            <source>It is older than the last package from this site ({last}); only what is missing will be added.</source>
            <translation>该数据包早于此站点的上一个数据包（{last}）；仅添加缺少的内容。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="173" />
            <source>New</source>
            <translation>新增</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="176" />
            <source>Package {seq} from {code} ({name}), made {at}. The signature and every file were checked. Files: {new_blobs} new of {blobs}.</source>
            <translation>来自 {code}（{name}）的数据包 {seq}，创建于 {at}。签名和每个文件均已校验。文件：共 {blobs} 个，其中新增 {new_blobs} 个。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="173" />
            <source>Record type</source>
            <translation>记录类型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="182" />
            <source>This package is already known here (imported before, or made here); importing it changes nothing.</source>
            <translation>此数据包在本地已知（此前已导入或在本地创建）；导入不会做任何更改。</translation>
        </message>
        <message>
            <source>{n} revisions compete with edits made here; the records will wait for a merge.</source>
            <translation type="vanished">{n} 个修订与本地编辑冲突；这些记录将等待合并。</translation>
        </message>
    </context>
    <context>
        <name>Integration</name>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="37" />
            <source>Accessory</source>
            <translation>配件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="195" />
            <source>At risk</source>
            <translation>有风险</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="197" />
            <source>Frozen</source>
            <translation>已冻结</translation>
        </message>
        <message>
            <source>Grace period (supply cut by 25 %)</source>
            <translation type="vanished">宽限期（供货削减 25 %）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="196" />
            <source>Grace period (supply cut)</source>
            <translation>宽限期（供货削减）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="194" />
            <source>On track</source>
            <translation>按计划进行</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="35" />
            <source>Set</source>
            <translation>总成</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="36" />
            <source>Sub-set</source>
            <translation>分总成</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="57" />
            <source>counts: approved and in series supply</source>
            <translation>计入：已批准且已批量供货</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="58" />
            <source>no local part linked</source>
            <translation>未关联本地零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="59" />
            <source>no valid approval</source>
            <translation>无有效批准</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="61" />
            <source>series supply not started</source>
            <translation>尚未开始批量供货</translation>
        </message>
    </context>
    <context>
        <name>Laboratories</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="242" />
            <source>Accreditation</source>
            <translation>认可</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="106" />
            <source>Accreditation body</source>
            <translation>认可机构</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="321" />
            <source>Add a laboratory…</source>
            <translation>添加实验室…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="262" />
            <source>Co-signed by (3.2)</source>
            <translation>会签人（3.2）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="180" />
            <source>Co-signed by (purchaser's representative or regulatory inspector)</source>
            <translation>会签人（买方代表或法规检验员）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="42" />
            <source>Declaration of compliance with the order</source>
            <translation>订单符合性声明</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="257" />
            <source>Designation (EN 10204, French)</source>
            <translation>名称（EN 10204，法文）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="256" />
            <source>EN 10204 document</source>
            <translation>EN 10204 文件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="175" />
            <source>EN 10204 inspection document</source>
            <translation>EN 10204 检验文件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="323" />
            <source>EN 10204 inspection documents</source>
            <translation>EN 10204 检验文件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="59" />
            <source>Expired</source>
            <translation>已过期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="61" />
            <source>Expires within 60 days</source>
            <translation>60 天内到期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="177" />
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="259" />
            <source>Heat number</source>
            <translation>炉号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="107" />
            <source>ISO/IEC 17025 accreditation number</source>
            <translation>ISO/IEC 17025 认可编号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="45" />
            <source>Inspection certificate 3.1</source>
            <translation>3.1 检验证书</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="46" />
            <source>Inspection certificate 3.2</source>
            <translation>3.2 检验证书</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="260" />
            <source>Inspection representative</source>
            <translation>检验代表</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="241" />
            <source>Laboratory</source>
            <translation>实验室</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="105" />
            <source>Laboratory (as named on its reports)</source>
            <translation>实验室（按其报告上的名称）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="104" />
            <source>Laboratory accreditation</source>
            <translation>实验室认可</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="178" />
            <source>Manufacturer's authorised inspection representative</source>
            <translation>制造商授权检验代表</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="57" />
            <source>Not accredited</source>
            <translation>未认可</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="324" />
            <source>Record an inspection document…</source>
            <translation>记录检验文件…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="322" />
            <source>Renew the accreditation…</source>
            <translation>更新认可…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="255" />
            <source>Report</source>
            <translation>报告</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="176" />
            <source>Report number</source>
            <translation>报告编号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="244" />
            <source>Scope</source>
            <translation>范围</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="108" />
            <source>Scope (test methods, separated by ;)</source>
            <translation>范围（试验方法，以 ; 分隔）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="247" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="44" />
            <source>Test report</source>
            <translation>试验报告</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="179" />
            <source>Their function</source>
            <translation>其职务</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="182" />
            <source>Their organisation</source>
            <translation>其单位</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="176" />
            <source>Type</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="62" />
            <source>Valid</source>
            <translation>有效</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="109" />
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="245" />
            <source>Valid until</source>
            <translation>有效期至</translation>
        </message>
    </context>
    <context>
        <name>LinkDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="141" />
            <source>Expected approval (forecast)</source>
            <translation>预计批准日期（预测）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="144" />
            <source>Link a local part to the set</source>
            <translation>将本地零件关联到总成</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="138" />
            <source>Local part</source>
            <translation>本地零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="142" />
            <source>Planned supply start (forecast)</source>
            <translation>计划供货开始日期（预测）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="140" />
            <source>Series supply started on</source>
            <translation>批量供货开始日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="139" />
            <source>Share of the set (%)</source>
            <translation>在总成中的占比（%）</translation>
        </message>
    </context>
    <context>
        <name>LockWidget</name>
        <message>
            <location filename="../../desktop_app/ui/idle_lock.py" line="189" />
            <source>PartDesk is locked</source>
            <translation>PartDesk 已锁定</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/idle_lock.py" line="192" />
            <source>Password</source>
            <translation>密码</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/idle_lock.py" line="194" />
            <source>Sign out</source>
            <translation>注销</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/idle_lock.py" line="193" />
            <source>Unlock</source>
            <translation>解锁</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/idle_lock.py" line="190" />
            <source>{name} ({user}): enter your password to continue.</source>
            <translation>{name}（{user}）：请输入密码以继续。</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="216" />
            <source>&amp;About PartDesk</source>
            <translation>关于 PartDesk(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="210" />
            <source>&amp;Change password…</source>
            <translation>修改密码(&amp;C)…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="208" />
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="214" />
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="211" />
            <source>&amp;Lock now</source>
            <translation>立即锁定(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="213" />
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="209" />
            <source>&amp;Settings…</source>
            <translation>设置(&amp;S)…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="315" />
            <source>About PartDesk</source>
            <translation>关于 PartDesk</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="215" />
            <source>Collect &amp;diagnostics…</source>
            <translation>收集诊断信息(&amp;D)…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="357" />
            <source>Collect diagnostics</source>
            <translation>收集诊断信息</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="346" />
            <source>Collecting diagnostics…</source>
            <translation>正在收集诊断信息…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="350" />
            <source>Diagnostics written to {file}. It holds versions, settings, the result of the checks and recent log lines; no data, keys or passwords.</source>
            <translation>诊断信息已写入 {file}。其中包含版本、设置、检查结果和最近的日志行；不含数据、密钥或密码。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="316" />
            <source>PartDesk {version}
Parts, test evidence and PPAP certification, offline first.

Data folder: {folder}</source>
            <translation>PartDesk {version}
零件、试验证据与 PPAP 认证，离线优先。

数据文件夹：{folder}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="197" />
            <source>PartDesk — {code} {name}</source>
            <translation>PartDesk — {code} {name}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="328" />
            <source>Save diagnostics for plant IT</source>
            <translation>为工厂 IT 保存诊断信息</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="212" />
            <source>Sign &amp;out</source>
            <translation>注销(&amp;O)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="204" />
            <source>Site {code} — {name}</source>
            <translation>站点 {code} — {name}</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/main_window.py" line="354" />
            <source>The checks found %Ln problems; they are listed in verify.txt.</source>
            <translation>
                <numerusform>检查发现 %Ln 个问题；详见 verify.txt。</numerusform>
            </translation>
        </message>
        <message>
            <source>The checks found {count} problems; they are listed in verify.txt.</source>
            <translation type="vanished">检查发现 {count} 个问题；详见 verify.txt。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="207" />
            <source>Working…</source>
            <translation>处理中…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="329" />
            <source>Zip archive (*.zip)</source>
            <translation>Zip 压缩包 (*.zip)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="202" />
            <source>{name} · {role}</source>
            <translation>{name} · {role}</translation>
        </message>
    </context>
    <context>
        <name>MsaWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="215" />
            <source>%GRR (tolerance)</source>
            <translation>%GRR（公差）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="214" />
            <source>%GRR (variation)</source>
            <translation>%GRR（变差）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="110" />
            <source>A CSV or Excel sheet with one row per reading: operator, part, trial and value (a number for a gauge R&amp;R; OK or NG for an attribute agreement study, with the part's right decision in a reference column). At least 2 operators, 5 parts and 2 trials.</source>
            <translation>CSV 或 Excel 表，每行一个读数：操作员、零件、测量次数和数值（量具 R&amp;R 为数字；计数型一致性研究为 OK 或 NG，并在基准列中给出零件的正确判定）。至少 2 名操作员、5 个零件、2 次测量。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="115" />
            <source>Browse…</source>
            <translation>浏览…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="140" />
            <source>Choose the sheet of readings.</source>
            <translation>请选择读数表。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="121" />
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="216" />
            <source>Conducted by</source>
            <translation>执行人</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="213" />
            <source>Date</source>
            <translation>日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="54" />
            <source>Invalid: the readings make no study</source>
            <translation>无效：这些读数不构成研究</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="263" />
            <source>Measurement system analysis of {gauge}</source>
            <translation>{gauge} 的测量系统分析</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="260" />
            <source>Measurement system analysis of {gauge}: no study yet.</source>
            <translation>{gauge} 的测量系统分析：尚无研究。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="257" />
            <source>Measurement system analysis: choose a gauge in the register.</source>
            <translation>测量系统分析：请在登记册中选择一个量具。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="122" />
            <source>Note</source>
            <translation>备注</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="214" />
            <source>Operators × parts × trials</source>
            <translation>操作员 × 零件 × 测量次数</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="120" />
            <source>Readings</source>
            <translation>读数</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="132" />
            <source>Readings of the study</source>
            <translation>研究读数</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="211" />
            <source>Record a study from a file…</source>
            <translation>从文件记录研究…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="108" />
            <source>Record an MSA study of {gauge}</source>
            <translation>记录 {gauge} 的 MSA 研究</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="133" />
            <source>Sheets (*.csv *.xlsx *.xls *.xlsb *.ods);;All files (*)</source>
            <translation>表格 (*.csv *.xlsx *.xls *.xlsb *.ods);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="213" />
            <source>Study</source>
            <translation>研究</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="121" />
            <source>Study date</source>
            <translation>研究日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="120" />
            <source>Tolerance</source>
            <translation>公差</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="116" />
            <source>USL − LSL, for %GRR of the tolerance</source>
            <translation>USL − LSL，用于 %GRR（公差）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="216" />
            <source>Verdict</source>
            <translation>判定</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="215" />
            <source>ndc / effectiveness</source>
            <translation>ndc / 有效性</translation>
        </message>
    </context>
    <context>
        <name>PageErrorWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/page_error_widget.py" line="38" />
            <source>This page could not be opened.</source>
            <translation>无法打开此页面。</translation>
        </message>
    </context>
    <context>
        <name>PartDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="337" />
            <source>A new drawing revision keeps the part number.</source>
            <translation>新的图纸版本保留零件号。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="339" />
            <source>A new drawing revision starts in development.</source>
            <translation>新的图纸版本从开发阶段开始。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="204" />
            <source>Arabic</source>
            <translation>阿拉伯语</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="348" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="205" />
            <source>Chinese</source>
            <translation>中文</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="348" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="186" />
            <source>Component family</source>
            <translation>组件系列</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="185" />
            <source>Designation</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="201" />
            <source>Designation ({language})</source>
            <translation>名称（{language}）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="213" />
            <source>Designations</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="212" />
            <source>Details</source>
            <translation>详细信息</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="191" />
            <source>Drawing reference</source>
            <translation>图号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="184" />
            <source>Drawing revision</source>
            <translation>图纸版本</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="205" />
            <source>English</source>
            <translation>英语</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="204" />
            <source>French</source>
            <translation>法语</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="189" />
            <source>Grade</source>
            <translation>牌号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="214" />
            <source>History</source>
            <translation>历史记录</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="194" />
            <source>Lifecycle status</source>
            <translation>生命周期状态</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="322" />
            <source>Locked: this revision is {status}. Make a new drawing revision to change it.</source>
            <translation>已锁定：此版本状态为“{status}”。如需修改，请新建图纸版本。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="220" />
            <source>Mark obsolete</source>
            <translation>标记为废弃</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="190" />
            <source>Mass (kg)</source>
            <translation>质量（kg）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="189" />
            <source>Material</source>
            <translation>材料</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="219" />
            <source>New drawing revision</source>
            <translation>新图纸版本</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="275" />
            <source>New part revision</source>
            <translation>新零件版本</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="194" />
            <source>Notes</source>
            <translation>备注</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="183" />
            <source>Part number</source>
            <translation>零件号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="278" />
            <source>Part {number} revision {revision}</source>
            <translation>零件 {number} 版本 {revision}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="193" />
            <source>Planned annual volume</source>
            <translation>计划年产量</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="192" />
            <source>Special characteristics (CC/SC)</source>
            <translation>特殊特性（CC/SC）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="187" />
            <source>Supplier</source>
            <translation>供应商</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="350" />
            <source>This revision is {status} and locked; make a new drawing revision to change it.</source>
            <translation>此版本为{status}状态并已锁定；如需修改，请创建新的图纸版本。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="190" />
            <source>Unit</source>
            <translation>单位</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="188" />
            <source>Vehicle models</source>
            <translation>车型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="211" />
            <source>e.g. 2.35</source>
            <translation>例如 2.35</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="235" />
            <source>no</source>
            <translation>否</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="234" />
            <source>yes</source>
            <translation>是</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="253" />
            <source>— none —</source>
            <translation>— 无 —</translation>
        </message>
    </context>
    <context>
        <name>Parts</name>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="37" />
            <source>In development</source>
            <translation>开发中</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="39" />
            <source>Obsolete</source>
            <translation>已废弃</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="38" />
            <source>Released</source>
            <translation>已发布</translation>
        </message>
    </context>
    <context>
        <name>PartsExport</name>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="37" />
            <source>Annual volume</source>
            <translation>年产量</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="38" />
            <source>CC/SC</source>
            <translation>CC/SC</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="31" />
            <source>Designation</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="32" />
            <source>Family</source>
            <translation>系列</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="35" />
            <source>Mass (kg)</source>
            <translation>质量（kg）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="34" />
            <source>Material</source>
            <translation>材料</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="29" />
            <source>Part number</source>
            <translation>零件号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="30" />
            <source>Revision</source>
            <translation>版本</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="39" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="33" />
            <source>Supplier</source>
            <translation>供应商</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="36" />
            <source>Unit</source>
            <translation>单位</translation>
        </message>
    </context>
    <context>
        <name>PartsImport</name>
        <message>
            <source>Checking rows</source>
            <translation type="vanished">正在检查各行</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="89" />
            <source>Component family</source>
            <translation>组件系列</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="84" />
            <source>Designation</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="86" />
            <source>Designation (Arabic)</source>
            <translation>名称（阿拉伯语）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="87" />
            <source>Designation (Chinese)</source>
            <translation>名称（中文）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="88" />
            <source>Designation (English)</source>
            <translation>名称（英语）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="85" />
            <source>Designation (French)</source>
            <translation>名称（法语）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="96" />
            <source>Drawing reference</source>
            <translation>图号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="83" />
            <source>Drawing revision</source>
            <translation>图纸版本</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="93" />
            <source>Grade</source>
            <translation>牌号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import.py" line="371" />
            <source>Importing</source>
            <translation>正在导入</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="94" />
            <source>Mass (kg)</source>
            <translation>质量（kg）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="92" />
            <source>Material</source>
            <translation>材料</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="232" />
            <source>New supplier: {name}</source>
            <translation>新供应商：{name}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="100" />
            <source>Notes</source>
            <translation>备注</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="82" />
            <source>Part number</source>
            <translation>零件号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="98" />
            <source>Planned annual volume</source>
            <translation>计划年产量</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import.py" line="370" />
            <source>Reading and checking rows</source>
            <translation>正在读取并检查各行</translation>
        </message>
        <message>
            <source>Reading the file</source>
            <translation type="vanished">正在读取文件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="97" />
            <source>Special characteristics</source>
            <translation>特殊特性</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="99" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="90" />
            <source>Supplier</source>
            <translation>供应商</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="95" />
            <source>Unit</source>
            <translation>单位</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="91" />
            <source>Vehicle models</source>
            <translation>车型</translation>
        </message>
    </context>
    <context>
        <name>PartsImportDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="410" />
            <source>(the file)</source>
            <translation>（该文件）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="272" />
            <source>Apply</source>
            <translation>应用</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="270" />
            <source>Back</source>
            <translation>上一步</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="262" />
            <source>Browse…</source>
            <translation>浏览…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="307" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="65" />
            <source>Changed</source>
            <translation>已修改</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="127" />
            <source>Changes / reason</source>
            <translation>更改 / 原因</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="258" />
            <source>Choose a workbook (.xlsx, .xls, .ods) or a CSV file with one part revision per row and a header row. Nothing is written until you apply, and then every row or none.</source>
            <translation>选择一个工作簿（.xlsx、.xls、.ods）或 CSV 文件，每行一个零件修订版，并带标题行。应用之前不会写入任何内容，应用时要么全部写入，要么都不写入。</translation>
        </message>
        <message>
            <source>Choose an Excel workbook (.xlsx) or a CSV file with one part revision per row and a header row. Nothing is written until you apply, and then every row or none.</source>
            <translation type="vanished">请选择一个 Excel 工作簿（.xlsx）或 CSV 文件，须带标题行，每行一个零件版本。在您点击应用之前不会写入任何内容；应用时要么全部行写入，要么全部不写入。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="422" />
            <source>Chosen by hand</source>
            <translation>手动选择</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="273" />
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="306" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="269" />
            <source>Column of the file</source>
            <translation>文件中的列</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="522" />
            <source>Correct the rows in error in the file, then import it again; nothing was written.</source>
            <translation>请在文件中更正出错的行，然后重新导入；未写入任何内容。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="77" />
            <source>Designations</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="265" />
            <source>Each field takes its values from the column shown; change any of them by hand.</source>
            <translation>每个字段从所示列中取值；可手动更改其中任何一项。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="67" />
            <source>Error</source>
            <translation>错误</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="269" />
            <source>Field</source>
            <translation>字段</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="420" />
            <source>Found by its column names</source>
            <translation>按列名找到</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="275" />
            <source>Header row:</source>
            <translation>标题行：</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="257" />
            <source>Import parts</source>
            <translation>导入零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="545" />
            <source>Imported: {created} new part revisions, {changed} changed, {unchanged} unchanged; {suppliers} suppliers created.</source>
            <translation>已导入：新增零件版本 {created} 个，修改 {changed} 个，未变 {unchanged} 个；新建供应商 {suppliers} 家。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="535" />
            <source>Importing parts…</source>
            <translation>正在导入零件…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="64" />
            <source>New</source>
            <translation>新增</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="271" />
            <source>Next</source>
            <translation>下一步</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="418" />
            <source>No header row found</source>
            <translation>未找到标题行</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="126" />
            <source>Part number</source>
            <translation>零件号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="311" />
            <source>Parts file</source>
            <translation>零件文件</translation>
        </message>
        <message>
            <source>Parts lists (*.xlsx *.csv);;All files (*)</source>
            <translation type="vanished">零件清单 (*.xlsx *.csv);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="312" />
            <source>Parts lists (*.xlsx *.xls *.ods *.csv);;All files (*)</source>
            <translation>零件清单 (*.xlsx *.xls *.ods *.csv);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="363" />
            <source>Reading and checking the file…</source>
            <translation>正在读取并检查文件…</translation>
        </message>
        <message>
            <source>Reading the file…</source>
            <translation type="vanished">正在读取文件…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="126" />
            <source>Rev.</source>
            <translation>版本</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="125" />
            <source>Row</source>
            <translation>行</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="274" />
            <source>Sheet:</source>
            <translation>工作表：</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="125" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="263" />
            <source>Strict: refuse suppliers that are not registered yet</source>
            <translation>严格模式：拒绝尚未登记的供应商</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="519" />
            <source>Suppliers to create: {names}</source>
            <translation>将新建的供应商：{names}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="276" />
            <source>The first rows of the sheet, the header row marked; double-click the row that names the columns to take it.</source>
            <translation>工作表的前几行，已标出标题行；双击列出列名的那一行即可选用。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="66" />
            <source>Unchanged</source>
            <translation>未变</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="514" />
            <source>{new} new, {changed} changed, {unchanged} unchanged, {errors} with errors.</source>
            <translation>新增 {new}，修改 {changed}，未变 {unchanged}，出错 {errors}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="480" />
            <source>— not imported —</source>
            <translation>— 不导入 —</translation>
        </message>
    </context>
    <context>
        <name>PartsPage</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="335" />
            <source>%Ln parts</source>
            <translation>
                <numerusform>%Ln 个零件</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="424" />
            <source>%Ln parts written to {file}.</source>
            <translation>
                <numerusform>%Ln 个零件已写入 {file}。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="254" />
            <source>All families</source>
            <translation>所有系列</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="258" />
            <source>All statuses</source>
            <translation>所有状态</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="252" />
            <source>All suppliers</source>
            <translation>所有供应商</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="256" />
            <source>All vehicle models</source>
            <translation>所有车型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="181" />
            <source>CC/SC</source>
            <translation>CC/SC</translation>
        </message>
        <message>
            <source>CSV file (*.csv)</source>
            <translation type="vanished">CSV 文件 (*.csv)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="389" />
            <source>CSV for French Excel, ';' and decimal comma (*.csv)</source>
            <translation>适用于法语 Excel 的 CSV，“;”分隔和小数逗号 (*.csv)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="391" />
            <source>CSV, ',' and decimal point (*.csv)</source>
            <translation>CSV，“,”分隔和小数点 (*.csv)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="163" />
            <source>Designation</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="175" />
            <source>Edited at two sites: to be merged</source>
            <translation>在两个站点被编辑：待合并</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="398" />
            <source>Excel workbook (*.xlsx)</source>
            <translation>Excel 工作簿 (*.xlsx)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="221" />
            <source>Export .csv…</source>
            <translation>导出 .csv…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="220" />
            <source>Export .xlsx…</source>
            <translation>导出 .xlsx…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="397" />
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="407" />
            <source>Export the parts shown</source>
            <translation>导出所显示的零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="423" />
            <source>Exporting parts…</source>
            <translation>正在导出零件…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="166" />
            <source>Family</source>
            <translation>系列</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="219" />
            <source>Import…</source>
            <translation>导入…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="172" />
            <source>Mass (kg)</source>
            <translation>质量（kg）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="170" />
            <source>Material</source>
            <translation>材料</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="217" />
            <source>New part…</source>
            <translation>新建零件…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="317" />
            <source>No part matches this search or these filters.</source>
            <translation>没有符合此搜索或筛选条件的零件。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="318" />
            <source>No part registered yet. An engineer registers parts with “New part…” or imports a sheet with “Import…”.</source>
            <translation>尚未登记零件。工程师可通过“新建零件…”登记零件，或通过“导入…”导入表格。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="218" />
            <source>Open…</source>
            <translation>打开…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="158" />
            <source>Part number</source>
            <translation>零件号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="211" />
            <source>Parts</source>
            <translation>零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="214" />
            <source>Parts registry</source>
            <translation>零件登记册</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="160" />
            <source>Rev.</source>
            <translation>版本</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="215" />
            <source>Search part number, designation, supplier, material…</source>
            <translation>搜索零件号、名称、供应商、材料…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="174" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="168" />
            <source>Supplier</source>
            <translation>供应商</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="222" />
            <source>Suppliers and models…</source>
            <translation>供应商和车型…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="178" />
            <source>Volume / year</source>
            <translation>年产量</translation>
        </message>
        <message>
            <source>{count} parts</source>
            <translation type="vanished">{count} 个零件</translation>
        </message>
        <message>
            <source>{count} parts written to {file}.</source>
            <translation type="vanished">{count} 个零件已写入 {file}。</translation>
        </message>
    </context>
    <context>
        <name>PasswordDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="93" />
            <source>Change my password</source>
            <translation>修改我的密码</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="101" />
            <source>Current password</source>
            <translation>当前密码</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="102" />
            <source>New password</source>
            <translation>新密码</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="94" />
            <source>New password for {name} ({user})</source>
            <translation>{name}（{user}）的新密码</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="99" />
            <source>New password for {name} ({user}); tell them to change it after signing in.</source>
            <translation>{name}（{user}）的新密码；请告知其登录后修改。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="103" />
            <source>Repeat the new password</source>
            <translation>再次输入新密码</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="97" />
            <source>Reset password</source>
            <translation>重置密码</translation>
        </message>
    </context>
    <context>
        <name>PeoplePage</name>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="91" />
            <source>Active</source>
            <translation>启用</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="92" />
            <source>Add a person…</source>
            <translation>添加人员…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="93" />
            <source>Change role…</source>
            <translation>更改角色…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="140" />
            <source>Disable</source>
            <translation>停用</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="139" />
            <source>Enable</source>
            <translation>启用</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="91" />
            <source>Full name</source>
            <translation>全名</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="121" />
            <source>No, disabled</source>
            <translation>否，已停用</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="86" />
            <source>People</source>
            <translation>人员</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="89" />
            <source>People of this site</source>
            <translation>本站点人员</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="94" />
            <source>Reset password…</source>
            <translation>重置密码…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="91" />
            <source>Role</source>
            <translation>角色</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="174" />
            <source>The password of {user} was reset.</source>
            <translation>{user} 的密码已重置。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="91" />
            <source>User name</source>
            <translation>用户名</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="121" />
            <source>Yes</source>
            <translation>是</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="157" />
            <source>{user} can now sign in.</source>
            <translation>{user} 现在可以登录了。</translation>
        </message>
    </context>
    <context>
        <name>Permissions</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="86" />
            <source>Add {role} in People, then sign in as that person.</source>
            <translation>请在“人员”页面添加{role}，然后以该身份登录。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="88" />
            <source>Ask an administrator to add {role} in People.</source>
            <translation>请管理员在“人员”页面添加{role}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="83" />
            <source>Ask an administrator to do it.</source>
            <translation>请管理员操作。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="79" />
            <source>Nobody may {action} here.</source>
            <translation>此处任何人都不能{action}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="80" />
            <source>Only {roles} may {action}.</source>
            <translation>只有{roles}可以{action}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="55" />
            <source>a quality inspector</source>
            <translation>质量检验员</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="57" />
            <source>an administrator</source>
            <translation>管理员</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="56" />
            <source>an approver</source>
            <translation>审批人</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="54" />
            <source>an engineer</source>
            <translation>工程师</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="42" />
            <source>approve or reject deviations</source>
            <translation>批准或拒绝偏差许可</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="66" />
            <source>back up and restore</source>
            <translation>备份和恢复</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="39" />
            <source>change how long records are kept</source>
            <translation>更改记录的保存期限</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="307" />
            <source>decide on deviations</source>
            <translation>决定偏差许可</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="180" />
            <location filename="../../desktop_app/domain/people.py" line="59" />
            <source>decide on submissions</source>
            <translation>对提交作出决定</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="55" />
            <source>edit parts</source>
            <translation>编辑零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="52" />
            <source>edit reference data</source>
            <translation>编辑参考数据</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="53" />
            <source>edit the regulatory rules</source>
            <translation>编辑法规规则</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="61" />
            <source>edit the roadmap</source>
            <translation>编辑路线图</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="63" />
            <source>export packages</source>
            <translation>导出数据包</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="64" />
            <source>import packages</source>
            <translation>导入数据包</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="36" />
            <source>import parts</source>
            <translation>导入零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="50" />
            <source>manage people</source>
            <translation>管理人员</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="51" />
            <source>manage sites and keys</source>
            <translation>管理站点和密钥</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="65" />
            <source>merge conflicting edits</source>
            <translation>合并冲突的编辑</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="43" />
            <source>prepare or change submissions</source>
            <translation>准备或修改提交</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="57" />
            <source>prepare submissions</source>
            <translation>准备提交</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="60" />
            <source>print certificates</source>
            <translation>打印证书</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="40" />
            <source>print or save certificates</source>
            <translation>打印或保存证书</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="37" />
            <source>record deliveries</source>
            <translation>记录交付</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="56" />
            <source>record test evidence</source>
            <translation>记录试验证据</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="38" />
            <source>record the end of production</source>
            <translation>记录停产</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="35" />
            <source>register parts</source>
            <translation>登记零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="41" />
            <source>request deviations</source>
            <translation>申请偏差许可</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="58" />
            <source>review submissions</source>
            <translation>审核提交</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="62" />
            <source>sign off roadmap steps</source>
            <translation>签署路线图步骤</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="49" />
            <source>view data</source>
            <translation>查看数据</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="69" />
            <source>{first} or {last}</source>
            <translation>{first}或{last}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="68" />
            <source>{first}, {second}</source>
            <translation>{first}、{second}</translation>
        </message>
    </context>
    <context>
        <name>PersonDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="89" />
            <source>Add a person</source>
            <translation>添加人员</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="90" />
            <source>Full name</source>
            <translation>全名</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="91" />
            <source>Password</source>
            <translation>密码</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="92" />
            <source>Repeat the password</source>
            <translation>再次输入密码</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="91" />
            <source>Role</source>
            <translation>角色</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="90" />
            <source>User name</source>
            <translation>用户名</translation>
        </message>
    </context>
    <context>
        <name>Ppap</name>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="78" />
            <source>Appearance approval report (AAR), if applicable</source>
            <translation>外观批准报告（AAR），如适用</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="24" />
            <source>As customer specifies</source>
            <translation>按客户规定</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="91" />
            <source>Bulk material requirements checklist</source>
            <translation>散装材料要求检查表</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="122" />
            <source>Change in part processing</source>
            <translation>零件加工变更</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="119" />
            <source>Change to optional construction or material</source>
            <translation>可选结构或材料变更</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="82" />
            <source>Checking aids</source>
            <translation>检具</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="68" />
            <source>Control plan</source>
            <translation>控制计划</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="117" />
            <source>Correction of discrepancy</source>
            <translation>纠正差异</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="63" />
            <source>Customer engineering approval, if required</source>
            <translation>客户工程批准，如要求</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="65" />
            <source>Design FMEA</source>
            <translation>设计 FMEA</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="59" />
            <source>Design records — all other components</source>
            <translation>设计记录 — 其他零部件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="57" />
            <source>Design records — proprietary components</source>
            <translation>设计记录 — 专有零部件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="71" />
            <source>Dimensional results</source>
            <translation>尺寸结果</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="61" />
            <source>Engineering change documents, if any</source>
            <translation>工程变更文件（如有）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="114" />
            <source>Engineering change(s)</source>
            <translation>工程变更</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="74" />
            <source>Initial process studies</source>
            <translation>初始过程研究</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="113" />
            <source>Initial submission</source>
            <translation>首次提交</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="81" />
            <source>Master sample</source>
            <translation>标准样件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="72" />
            <source>Material, performance test results</source>
            <translation>材料、性能试验结果</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="69" />
            <source>Measurement system analysis studies</source>
            <translation>测量系统分析研究</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="124" />
            <source>Other</source>
            <translation>其他</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="85" />
            <source>Part submission warrant (PSW)</source>
            <translation>零件提交保证书（PSW）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="123" />
            <source>Parts produced at additional location</source>
            <translation>在新增地点生产的零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="67" />
            <source>Process FMEA</source>
            <translation>过程 FMEA</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="66" />
            <source>Process flow diagrams</source>
            <translation>过程流程图</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="76" />
            <source>Qualified laboratory documentation</source>
            <translation>合格实验室文件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="83" />
            <source>Records of compliance with customer-specific requirements</source>
            <translation>符合客户特殊要求的记录</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="23" />
            <source>Retain</source>
            <translation>保留</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="80" />
            <source>Sample production parts</source>
            <translation>生产件样品</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="121" />
            <source>Sub-supplier or material source change</source>
            <translation>分供方或材料来源变更</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="22" />
            <source>Submit</source>
            <translation>提交</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="118" />
            <source>Tooling inactive &gt; 1 year</source>
            <translation>工装停用超过一年</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="115" />
            <source>Tooling: transfer, replacement, refurbishment, or additional</source>
            <translation>工装：转移、更换、翻新或增加</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="34" />
            <source>Warrant and other requirements as defined by the customer</source>
            <translation>保证书及客户规定的其他要求</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="31" />
            <source>Warrant only (and AAR for appearance items)</source>
            <translation>仅保证书（外观件另附 AAR）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="35" />
            <source>Warrant with samples and complete data reviewed at the supplier's manufacturing location</source>
            <translation>保证书、样件及完整数据，在供应商制造现场评审</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="33" />
            <source>Warrant with samples and complete supporting data</source>
            <translation>保证书、样件及完整的支持数据</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="32" />
            <source>Warrant with samples and limited supporting data</source>
            <translation>保证书、样件及有限的支持数据</translation>
        </message>
    </context>
    <context>
        <name>Psw</name>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="68" />
            <source>Additional engineering changes</source>
            <translation>其他工程更改</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="69" />
            <source>Additional engineering changes date</source>
            <translation>其他工程更改日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="349" />
            <location filename="../../desktop_app/services/certification_psw.py" line="215" />
            <source>Address</source>
            <translation>地址</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="125" />
            <source>Appearance criteria</source>
            <translation>外观标准</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="350" />
            <location filename="../../desktop_app/services/certification_psw.py" line="220" />
            <source>Application</source>
            <translation>应用车型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="409" />
            <location filename="../../desktop_app/services/certification_psw.py" line="248" />
            <source>Authorised supplier signature</source>
            <translation>供应商授权签名</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="77" />
            <source>Buyer / buyer code</source>
            <translation>采购员 / 采购员代码</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="75" />
            <source>Checking aid date</source>
            <translation>检具日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="74" />
            <source>Checking aid number and level</source>
            <translation>检具编号及等级</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="76" />
            <source>Customer / division</source>
            <translation>客户 / 部门</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_psw.py" line="255" />
            <source>Customer disposition</source>
            <translation>客户处置</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="431" />
            <location filename="../../desktop_app/services/certification_psw.py" line="261" />
            <source>Customer name</source>
            <translation>客户名称</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="327" />
            <location filename="../../desktop_app/services/certification_psw.py" line="199" />
            <source>Customer part number</source>
            <translation>客户零件号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="430" />
            <location filename="../../desktop_app/services/certification_psw.py" line="259" />
            <source>Customer signature</source>
            <translation>客户签名</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="344" />
            <location filename="../../desktop_app/services/certification_psw.py" line="217" />
            <source>Customer submittal information</source>
            <translation>客户提交信息</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="90" />
            <source>Customer tracking number</source>
            <translation>客户跟踪号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="414" />
            <location filename="../../desktop_app/documents/psw_pdf.py" line="432" />
            <location filename="../../desktop_app/services/certification_psw.py" line="253" />
            <source>Date</source>
            <translation>日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="400" />
            <location filename="../../desktop_app/services/certification_psw.py" line="243" />
            <source>Declaration</source>
            <translation>声明</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="79" />
            <source>Derived from the results above and the completeness checks, not typed.</source>
            <translation>由上述结果和完整性检查得出，而非手工填写。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="123" />
            <source>Dimensional measurements</source>
            <translation>尺寸测量</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="426" />
            <location filename="../../desktop_app/services/certification_psw.py" line="256" />
            <source>Disposition</source>
            <translation>处置</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="330" />
            <location filename="../../desktop_app/domain/psw.py" line="66" />
            <source>Drawing number</source>
            <translation>图纸编号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="413" />
            <location filename="../../desktop_app/services/certification_psw.py" line="252" />
            <source>E-mail</source>
            <translation>电子邮件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="87" />
            <source>Each customer-owned tool is tagged and numbered</source>
            <translation>每件客户所有的工装均已挂牌并编号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="331" />
            <location filename="../../desktop_app/services/certification_psw.py" line="202" />
            <source>Engineering change level</source>
            <translation>工程变更等级</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="67" />
            <source>Engineering change level date</source>
            <translation>工程变更等级日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="83" />
            <source>Explanation / comments</source>
            <translation>说明 / 备注</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="417" />
            <source>For customer use only</source>
            <translation>仅供客户使用</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_psw.py" line="232" />
            <source>Level</source>
            <translation>级别</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="104" />
            <source>Locked: a submission in this state cannot be changed.</source>
            <translation>已锁定：处于此状态的提交不能修改。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="102" />
            <source>Locked: the submission was edited at two sites; merge it on the Conflicts page first.</source>
            <translation>已锁定：该提交在两个站点被编辑；请先在“冲突”页面合并。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="124" />
            <source>Material and functional tests</source>
            <translation>材料和功能试验</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="353" />
            <location filename="../../desktop_app/services/certification_psw.py" line="222" />
            <source>Materials reporting</source>
            <translation>材料报告</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="84" />
            <source>Mould / cavity / production process</source>
            <translation>模具 / 型腔 / 生产过程</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="410" />
            <location filename="../../desktop_app/services/certification_psw.py" line="249" />
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="159" />
            <source>No result is linked to the submission.</source>
            <translation>没有结果关联到该提交。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="422" />
            <source>Other</source>
            <translation>其他</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="187" />
            <source>PDF document (*.pdf)</source>
            <translation>PDF 文档 (*.pdf)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="71" />
            <source>PPAP element 18 — AIAG Production Part Approval Process, 4th edition</source>
            <translation>PPAP 第 18 要素 — AIAG 生产件批准程序，第 4 版</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="70" />
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="129" />
            <source>Part Submission Warrant</source>
            <translation>零件提交保证书</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="325" />
            <location filename="../../desktop_app/services/certification_psw.py" line="197" />
            <source>Part information</source>
            <translation>零件信息</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="326" />
            <location filename="../../desktop_app/services/certification_psw.py" line="198" />
            <source>Part name</source>
            <translation>零件名称</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="89" />
            <source>Phone</source>
            <translation>电话</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="81" />
            <source>Polymeric parts marked (ISO)</source>
            <translation>聚合物零件已标识（ISO）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="186" />
            <source>Print the warrant as a PDF</source>
            <translation>将零件提交保证书打印为 PDF</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="141" />
            <source>Print warrant…</source>
            <translation>打印保证书…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="81" />
            <source>Printed by PartDesk on {day} from submission {number} — page {page}</source>
            <translation>由 PartDesk 于 {day} 根据提交 {number} 打印 — 第 {page} 页</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="198" />
            <source>Printing the warrant…</source>
            <translation>正在打印保证书…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="86" />
            <source>Production rate: hours</source>
            <translation>生产率：小时</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="85" />
            <source>Production rate: pieces</source>
            <translation>生产率：件数</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="73" />
            <source>Purchase order number</source>
            <translation>采购订单号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_psw.py" line="228" />
            <source>Reason</source>
            <translation>原因</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="360" />
            <location filename="../../desktop_app/services/certification_psw.py" line="227" />
            <source>Reason for submission</source>
            <translation>提交原因</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="80" />
            <source>Reported in IMDS or other format</source>
            <translation>已通过 IMDS 或其他格式报告</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="361" />
            <location filename="../../desktop_app/services/certification_psw.py" line="231" />
            <source>Requested submission level</source>
            <translation>要求的提交级别</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="71" />
            <source>Safety and/or government regulation</source>
            <translation>安全和/或政府法规</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="142" />
            <source>Save the warrant as a PDF in the language of the window</source>
            <translation>以窗口的语言将保证书保存为 PDF</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="140" />
            <source>Save the warrant fields</source>
            <translation>保存保证书字段</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="181" />
            <source>Saved.</source>
            <translation>已保存。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="126" />
            <source>Statistical process package</source>
            <translation>统计过程数据包</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="386" />
            <location filename="../../desktop_app/services/certification_psw.py" line="234" />
            <source>Submission results</source>
            <translation>提交结果</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="78" />
            <source>Substances of concern reported</source>
            <translation>已报告关注物质</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="346" />
            <location filename="../../desktop_app/services/certification_psw.py" line="214" />
            <source>Supplier code</source>
            <translation>供应商代码</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="343" />
            <location filename="../../desktop_app/services/certification_psw.py" line="212" />
            <source>Supplier manufacturing information</source>
            <translation>供应商制造信息</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="345" />
            <location filename="../../desktop_app/services/certification_psw.py" line="213" />
            <source>Supplier name</source>
            <translation>供应商名称</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="65" />
            <source>Supplier part number</source>
            <translation>供应商零件号</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="73" />
            <source>The supplier declares that the samples covered by this warrant represent its parts, made by a process that meets every requirement of the AIAG Production Part Approval Process (4th edition), at a production rate of {pieces} pieces in {hours} hours, and that documented evidence of this is on file and available for review. Any deviation from this declaration is explained under Explanation / comments.</source>
            <translation>供应商声明：本保证书所涵盖的样件代表其零件，由满足 AIAG 生产件批准程序（第 4 版）全部要求的过程制造，生产节拍为 {hours} 小时 {pieces} 件，相关书面证据已存档并可供审查。任何与本声明的偏差均在“说明/备注”中解释。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="389" />
            <location filename="../../desktop_app/services/certification_psw.py" line="236" />
            <source>These results meet all design record requirements</source>
            <translation>这些结果满足所有设计记录要求</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="411" />
            <location filename="../../desktop_app/services/certification_psw.py" line="250" />
            <source>Title</source>
            <translation>职务</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="202" />
            <source>Warrant written to {file}.</source>
            <translation>保证书已写入 {file}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="338" />
            <location filename="../../desktop_app/services/certification_psw.py" line="208" />
            <source>Weight (kg)</source>
            <translation>重量（kg）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="139" />
            <source>YYYY-MM-DD</source>
            <translation>YYYY-MM-DD</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="33" />
            <source>n/a</source>
            <translation>不适用</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="32" />
            <location filename="../../desktop_app/services/certification_psw.py" line="49" />
            <source>no</source>
            <translation>否</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="31" />
            <location filename="../../desktop_app/services/certification_psw.py" line="49" />
            <source>yes</source>
            <translation>是</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="158" />
            <source>{result}: no result is linked to the submission.</source>
            <translation>{result}：没有结果关联到该提交。</translation>
        </message>
    </context>
    <context>
        <name>RateChartWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="47" />
            <source>Actual</source>
            <translation>实际</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="48" />
            <source>Forecast</source>
            <translation>预测</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="53" />
            <source>Integration rate</source>
            <translation>本地化率</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="51" />
            <source>No vehicle model with an approval date yet.</source>
            <translation>尚无带批准日期的车型。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="46" />
            <source>Planned (roadmap)</source>
            <translation>计划（路线图）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="49" />
            <source>Regulatory minimum</source>
            <translation>法规最低要求</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="50" />
            <source>Today</source>
            <translation>今天</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="52" />
            <source>year {n}</source>
            <translation>第 {n} 年</translation>
        </message>
    </context>
    <context>
        <name>RecordTypes</name>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="18" />
            <source>Attached file</source>
            <translation>附件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="22" />
            <source>Certificate</source>
            <translation>证书</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="14" />
            <source>Characteristic</source>
            <translation>特性</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="12" />
            <source>Component family</source>
            <translation>零部件类别</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="24" />
            <source>Customer decision on a deviation</source>
            <translation>客户对偏差许可的决定</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="26" />
            <source>Customer's retention period</source>
            <translation>客户的保存期限</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="20" />
            <source>Decision</source>
            <translation>决定</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="34" />
            <source>Delivery of parts</source>
            <translation>零件交货</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="23" />
            <source>Deviation</source>
            <translation>偏差许可</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="28" />
            <source>EN 10204 inspection document</source>
            <translation>EN 10204 检验文件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="25" />
            <source>End of production</source>
            <translation>生产结束</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="15" />
            <source>Gauge</source>
            <translation>量具</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="29" />
            <source>Measurement system analysis study</source>
            <translation>测量系统分析研究</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="13" />
            <source>Part</source>
            <translation>零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="9" />
            <source>Person</source>
            <translation>人员</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="17" />
            <source>Readings</source>
            <translation>读数</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="30" />
            <source>Reference list set</source>
            <translation>参考清单总成</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="32" />
            <source>Regulatory milestone</source>
            <translation>法规里程碑</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="33" />
            <source>Regulatory rules of a model</source>
            <translation>车型的法规规则</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="35" />
            <source>Roadmap step</source>
            <translation>路线图步骤</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="31" />
            <source>Set to part link</source>
            <translation>总成与零件的关联</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="21" />
            <source>Signature</source>
            <translation>签名</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="8" />
            <source>Site</source>
            <translation>站点</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="36" />
            <source>Step sign-off</source>
            <translation>步骤签署</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="19" />
            <source>Submission</source>
            <translation>提交</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="10" />
            <source>Supplier</source>
            <translation>供应商</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="27" />
            <source>Test laboratory</source>
            <translation>试验实验室</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="16" />
            <source>Test report</source>
            <translation>试验报告</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="11" />
            <source>Vehicle model</source>
            <translation>车型</translation>
        </message>
    </context>
    <context>
        <name>ReferenceDataDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="55" />
            <source>Approval date (starts the clock)</source>
            <translation>批准日期（开始计时）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="51" />
            <source>Carmaker</source>
            <translation>整车厂</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="39" />
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="50" />
            <source>Code</source>
            <translation>代码</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="42" />
            <source>Contact</source>
            <translation>联系人</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="40" />
            <source>Country</source>
            <translation>国家</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="45" />
            <source>IATF 16949 certificate</source>
            <translation>IATF 16949 证书</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="46" />
            <source>IATF 16949 expiry</source>
            <translation>IATF 16949 到期日</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="43" />
            <source>ISO 9001 certificate</source>
            <translation>ISO 9001 证书</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="44" />
            <source>ISO 9001 expiry</source>
            <translation>ISO 9001 到期日</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="52" />
            <source>Model</source>
            <translation>车型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="38" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="116" />
            <source>New</source>
            <translation>新建</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="47" />
            <source>Notes</source>
            <translation>备注</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="54" />
            <source>Power range</source>
            <translation>动力范围</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="117" />
            <source>Save</source>
            <translation>保存</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="168" />
            <source>Saved.</source>
            <translation>已保存。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="41" />
            <source>Site / address</source>
            <translation>厂址 / 地址</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="212" />
            <source>Suppliers</source>
            <translation>供应商</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="211" />
            <source>Suppliers and vehicle models</source>
            <translation>供应商和车型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="53" />
            <source>Type</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="213" />
            <source>Vehicle models</source>
            <translation>车型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="115" />
            <source>YYYY-MM-DD</source>
            <translation>YYYY-MM-DD</translation>
        </message>
    </context>
    <context>
        <name>ReportDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="180" />
            <source>Close without saving the readings typed?</source>
            <translation>关闭而不保存已输入的读数？</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="161" />
            <source>Conclusion</source>
            <translation>结论</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="137" />
            <source>Correct report {number}</source>
            <translation>更正报告 {number}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="198" />
            <source>Every reading is in; {keys} saves the report.</source>
            <translation>所有读数均已输入；按 {keys} 保存报告。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="155" />
            <source>ISO/IEC 17025 accreditation</source>
            <translation>ISO/IEC 17025 认可</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="153" />
            <source>Internal / external</source>
            <translation>内部 / 外部</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="153" />
            <source>Laboratory</source>
            <translation>实验室</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="160" />
            <source>Laboratory's result (reports without readings)</source>
            <translation>实验室结果（无读数的报告）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="135" />
            <source>New test report</source>
            <translation>新建试验报告</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="159" />
            <source>Operator</source>
            <translation>操作员</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="164" />
            <source>Reason for the correction</source>
            <translation>更正原因</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="156" />
            <source>Sample size</source>
            <translation>样本量</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="152" />
            <source>Standard (e.g. ISO 9227)</source>
            <translation>标准（例如 ISO 9227）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="157" />
            <source>Subgroup size (1: individual readings)</source>
            <translation>子组大小（1：单值读数）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="158" />
            <source>Tested on</source>
            <translation>试验日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="205" />
            <source>This part revision has no characteristics yet, so there is nothing to measure: use “Add characteristic…” or “Import characteristics…” on the Evidence tab, then record the readings. A report without readings (a material certificate, a test result) can be recorded now.</source>
            <translation>该零件修订版还没有特性，因此没有可测量的内容：请在“证据”选项卡中使用“添加特性…”或“导入特性…”，然后记录读数。没有读数的报告（材料证书、试验结果）现在即可记录。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="151" />
            <source>Title</source>
            <translation>标题</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="151" />
            <source>Type</source>
            <translation>类型</translation>
        </message>
    </context>
    <context>
        <name>Retention</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="302" />
            <source>%Ln records past retention</source>
            <translation>
                <numerusform>%Ln 条记录超过保存期限</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="225" />
            <source>%Ln years</source>
            <translation>
                <numerusform>%Ln 年</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="188" />
            <source>Any other customer: 1 year.</source>
            <translation>其他任何客户：1 年。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="114" />
            <source>Choose a part revision.</source>
            <translation>请选择零件修订版。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="167" />
            <source>Customer (as named on its vehicle models)</source>
            <translation>客户（按其车型上的名称）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="291" />
            <source>Customers' periods…</source>
            <translation>客户期限…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="166" />
            <source>Customers' retention periods</source>
            <translation>客户的保存期限</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="87" />
            <source>End of production</source>
            <translation>生产结束</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="290" />
            <source>End of production…</source>
            <translation>生产结束…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="224" />
            <source>Kept for</source>
            <translation>保存期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="227" />
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="236" />
            <source>Kept until</source>
            <translation>保存至</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="89" />
            <source>Last day of series production</source>
            <translation>批量生产的最后一天</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="89" />
            <source>Note</source>
            <translation>备注</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="243" />
            <source>Number or name</source>
            <translation>编号或名称</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="220" />
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="239" />
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="88" />
            <source>Part revision</source>
            <translation>零件修订版</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="222" />
            <source>Production ended</source>
            <translation>生产已结束</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="241" />
            <source>Record</source>
            <translation>记录</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="230" />
            <source>Records</source>
            <translation>记录</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="286" />
            <source>Records are kept until the end of production plus one calendar year, or as long as the part's customer requires. Records past that date are listed below for review: nothing is deleted automatically.</source>
            <translation>记录保存至生产结束后再加一个日历年，或零件客户要求的更长时间。超过该日期的记录列在下面供审查：不会自动删除任何内容。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="88" />
            <source>Search parts</source>
            <translation>搜索零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="169" />
            <source>Where the customer requires it</source>
            <translation>客户有此要求时</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="168" />
            <source>Years after the end of production</source>
            <translation>生产结束后的年数</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="186" />
            <source>{customer}: %Ln years</source>
            <translation>
                <numerusform>{customer}：%Ln 年</numerusform>
            </translation>
        </message>
        <message>
            <source>{customer}: {years} year(s)</source>
            <translation type="vanished">{customer}：{years} 年</translation>
        </message>
        <message>
            <source>{n} record(s) past retention</source>
            <translation type="vanished">{n} 条记录超过保存期限</translation>
        </message>
        <message>
            <source>{years} year(s)</source>
            <translation type="vanished">{years} 年</translation>
        </message>
    </context>
    <context>
        <name>Roadmap</name>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="57" />
            <source>1 Plan and Define Programme</source>
            <translation>1 计划和确定项目</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="58" />
            <source>2 Product Design and Development</source>
            <translation>2 产品设计和开发</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="59" />
            <source>3 Process Design and Development</source>
            <translation>3 过程设计和开发</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="60" />
            <source>4 Product and Process Validation</source>
            <translation>4 产品和过程确认</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="61" />
            <source>5 Feedback, Assessment and Corrective Action</source>
            <translation>5 反馈、评定和纠正措施</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="36" />
            <source>Achieved</source>
            <translation>已达成</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="38" />
            <source>At risk</source>
            <translation>有风险</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="73" />
            <source>Carmaker</source>
            <translation>整车厂</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="42" />
            <source>In progress</source>
            <translation>进行中</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="39" />
            <source>Late</source>
            <translation>延迟</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="40" />
            <source>Missed</source>
            <translation>未达成</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="37" />
            <source>On track</source>
            <translation>按计划进行</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="41" />
            <source>Planned</source>
            <translation>已计划</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="72" />
            <source>Supplier</source>
            <translation>供应商</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="82" />
            <source>{status} (set by hand; the rate gives {computed})</source>
            <translation>{status}（人工设定；按比率为 {computed}）</translation>
        </message>
    </context>
    <context>
        <name>RoadmapCli</name>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="275" />
            <source>  at least {target} at the end of year {years} — {source}</source>
            <translation>  第 {years} 年末至少 {target} — {source}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="284" />
            <source>  cut ends as soon as the rate is reached: {answer} — {source}</source>
            <translation>  一旦达到比率即结束削减：{answer} — {source}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="280" />
            <source>  missed milestone: {months} months of grace — {source}</source>
            <translation>  里程碑未达成：宽限 {months} 个月 — {source}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="287" />
            <source>  still missed at the end, supply frozen: {answer} — {source}</source>
            <translation>  结束时仍未达成则冻结供货：{answer} — {source}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="282" />
            <source>  supply programme cut by {cut} during the grace — {source}</source>
            <translation>  宽限期内供货计划削减 {cut} — {source}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="274" />
            <source> (defaults)</source>
            <translation>（默认）</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/roadmap.py" line="304" />
            <source>%Ln remaining</source>
            <translation>
                <numerusform>剩余 %Ln 件</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/roadmap.py" line="301" />
            <source>%Ln remaining, ends on {day} at the latest</source>
            <translation>
                <numerusform>剩余 %Ln 件，最迟于 {day} 结束</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="171" />
            <source>(set by hand; the rate gives {computed}) </source>
            <translation>（人工设定；按比率为 {computed}）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="317" />
            <source>Delivery of {n} × {part} recorded.</source>
            <translation>已记录 {n} × {part} 的交货。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="207" />
            <source>Dry run: nothing was saved.</source>
            <translation>试运行：未保存任何内容。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="114" />
            <source>Grace period until {day}; supply programme at {factor} of plan.</source>
            <translation>宽限期至 {day}；供货计划为原计划的 {factor}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="225" />
            <source>Linked {part} to {set}.</source>
            <translation>已将 {part} 关联到 {set}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="110" />
            <source>Next milestone: {day}, at least {target} (forecast {forecast})</source>
            <translation>下一个里程碑：{day}，至少 {target}（预测 {forecast}）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="328" />
            <source>No interim approval limited by quantity.</source>
            <translation>没有按数量限制的临时批准。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="163" />
            <source>No step.</source>
            <translation>没有步骤。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="143" />
            <source>No vehicle model yet.</source>
            <translation>尚无车型。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="105" />
            <source>Rate on {day}: {rate}   (list totals {total}, {short} missing)</source>
            <translation>{day} 的比率：{rate}   （清单合计 {total}，缺少 {short}）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="272" />
            <source>Regulatory rules of {model}{default}</source>
            <translation>{model} 的法规规则{default}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="346" />
            <source>Report written: {path}</source>
            <translation>报告已写入：{path}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="117" />
            <source>Rules: {months} months of grace, supply cut by {cut}, {ends}, {freeze} (partdesk roadmap rules {code})</source>
            <translation>规则：宽限 {months} 个月，供货削减 {cut}，{ends}，{freeze}（partdesk roadmap rules {code}）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="239" />
            <source>Step {code} signed for the {party}.</source>
            <translation>已代表{party}签署步骤 {code}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="184" />
            <source>Step {code}: {status} {mismatch}</source>
            <translation>步骤 {code}：{status} {mismatch}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="132" />
            <source>Total: {rate}</source>
            <translation>合计：{rate}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="120" />
            <source>cut ends when the rate is reached</source>
            <translation>达到比率即结束削减</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="121" />
            <source>cut lasts the whole grace</source>
            <translation>削减持续整个宽限期</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/roadmap.py" line="161" />
            <source>late by %Ln days</source>
            <translation>
                <numerusform>延迟 %Ln 天</numerusform>
            </translation>
        </message>
        <message>
            <source>late by {n} days</source>
            <translation type="vanished">延迟 {n} 天</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="249" />
            <source>no</source>
            <translation>否</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="123" />
            <source>no freeze</source>
            <translation>不冻结</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="299" />
            <source>quantity shipped: ended on {day}</source>
            <translation>数量已发运：于 {day} 结束</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="122" />
            <source>then frozen</source>
            <translation>随后冻结</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="249" />
            <source>yes</source>
            <translation>是</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="101" />
            <source>{code} — {name}   approved {approval}   state: {state}</source>
            <translation>{code} — {name}   批准日期 {approval}   状态：{state}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="201" />
            <source>{model}: {rows} sets, {added} added, {changed} changed, {removed} removed; the list totals {total} ({short} missing).</source>
            <translation>{model}：{rows} 个总成，新增 {added}，修改 {changed}，删除 {removed}；清单合计 {total}（缺少 {short}）。</translation>
        </message>
        <message>
            <source>{n} remaining</source>
            <translation type="vanished">剩余 {n}</translation>
        </message>
        <message>
            <source>{n} remaining, ends on {day} at the latest</source>
            <translation type="vanished">剩余 {n}，最迟于 {day} 结束</translation>
        </message>
    </context>
    <context>
        <name>RoadmapPage</name>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="227" />
            <source>Add a milestone</source>
            <translation>添加里程碑</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="218" />
            <source>Add a set…</source>
            <translation>添加总成…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="224" />
            <source>Add a step…</source>
            <translation>添加步骤…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="392" />
            <source>Choose a set first.</source>
            <translation>请先选择一个总成。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="405" />
            <source>Choose a set with a linked part first.</source>
            <translation>请先选择一个已关联零件的总成。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="484" />
            <source>Choose a step first.</source>
            <translation>请先选择一个步骤。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="231" />
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="234" />
            <source>Code</source>
            <translation>代码</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="231" />
            <source>Contributory rate</source>
            <translation>贡献率</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="232" />
            <source>Counts for</source>
            <translation>计入比率</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="235" />
            <source>Days late</source>
            <translation>延迟天数</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="219" />
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="225" />
            <source>Edit…</source>
            <translation>编辑…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="238" />
            <source>End of year</source>
            <translation>年末</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="510" />
            <source>Export report</source>
            <translation>导出报告</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="214" />
            <source>Export report…</source>
            <translation>导出报告…</translation>
        </message>
        <message>
            <source>Forecast date</source>
            <translation type="vanished">预测日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="223" />
            <source>Import from .xlsx…</source>
            <translation>从 .xlsx 导入…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="448" />
            <source>Import the reference list?</source>
            <translation>导入参考清单？</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="462" />
            <source>Importing the reference list</source>
            <translation>正在导入参考清单</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="231" />
            <source>Kind</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="221" />
            <source>Link a local part…</source>
            <translation>关联本地零件…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="303" />
            <source>List total {total} % — {short} % missing — rate today {rate} %</source>
            <translation>清单合计 {total} % — 缺少 {short} % — 当前比率 {rate} %</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="232" />
            <source>Local parts</source>
            <translation>本地零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="499" />
            <source>Milestones saved.</source>
            <translation>里程碑已保存。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="238" />
            <source>Minimum rate (%)</source>
            <translation>最低比率（%）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="170" />
            <source>No late step.</source>
            <translation>没有延迟的步骤。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="172" />
            <source>No roadmap step for this model yet: add one with “Add a step…”.</source>
            <translation>该车型尚无路线图步骤：请通过“添加步骤…”添加。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="167" />
            <source>No set in this model's reference list yet: add sets with “Add a set…” or import the list.</source>
            <translation>该车型的参考清单中尚无总成：请通过“添加总成…”添加，或导入清单。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="322" />
            <source>No vehicle model yet: add one with “Suppliers and models…” on the Parts page.</source>
            <translation>尚无车型：请在“零件”页面通过“供应商和车型…”添加。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="236" />
            <source>Owner</source>
            <translation>负责人</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="511" />
            <source>PDF (*.pdf);;Excel (*.xlsx)</source>
            <translation>PDF (*.pdf);;Excel (*.xlsx)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="409" />
            <source>Part no longer realising {code}:</source>
            <translation>不再用于实现 {code} 的零件：</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="235" />
            <source>Rate on its date</source>
            <translation>到期日比率</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="238" />
            <source>Reference</source>
            <translation>依据</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="215" />
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="425" />
            <source>Reference list</source>
            <translation>参考清单</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="463" />
            <source>Reference list imported.</source>
            <translation>参考清单已导入。</translation>
        </message>
        <message>
            <source>Regulatory milestones</source>
            <translation type="vanished">法规里程碑</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="217" />
            <source>Regulatory rules</source>
            <translation>法规规则</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="220" />
            <source>Remove</source>
            <translation>删除</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="446" />
            <source>Removed sets lose their links to parts: {codes}</source>
            <translation>被删除的总成将失去与零件的关联：{codes}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="520" />
            <source>Report written: {path}</source>
            <translation>报告已写入：{path}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="210" />
            <source>Roadmap</source>
            <translation>路线图</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="213" />
            <source>Roadmap and reference lists of</source>
            <translation>路线图和参考清单，车型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="216" />
            <source>Roadmap steps</source>
            <translation>路线图步骤</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="229" />
            <source>Rules for a missed milestone…</source>
            <translation>里程碑未达成的规则…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="228" />
            <source>Save the milestones</source>
            <translation>保存里程碑</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="231" />
            <source>Set</source>
            <translation>总成</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="226" />
            <source>Sign off…</source>
            <translation>签署…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="236" />
            <source>Signed by both</source>
            <translation>双方已签署</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="235" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Tables (*.xlsx *.csv)</source>
            <translation type="vanished">表格 (*.xlsx *.csv)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="426" />
            <source>Tables (*.xlsx *.xls *.ods *.csv)</source>
            <translation>表格 (*.xlsx *.xls *.ods *.csv)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="234" />
            <source>Target date</source>
            <translation>目标日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="234" />
            <source>Target rate</source>
            <translation>目标比率</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="234" />
            <source>Title</source>
            <translation>标题</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="408" />
            <source>Unlink a part</source>
            <translation>取消关联零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="222" />
            <source>Unlink a part…</source>
            <translation>取消关联零件…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="232" />
            <source>Why</source>
            <translation>原因</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="307" />
            <source>[edited at two sites] </source>
            <translation>[在两个站点被编辑] </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="310" />
            <source>no</source>
            <translation>否</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="310" />
            <source>yes</source>
            <translation>是</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="440" />
            <source>{model}: {rows} sets — {added} added, {changed} changed, {removed} removed. The list totals {total} % ({short} % missing).</source>
            <translation>{model}：{rows} 个总成 — 新增 {added}，修改 {changed}，删除 {removed}。清单合计 {total} %（缺少 {short} %）。</translation>
        </message>
    </context>
    <context>
        <name>RoadmapReport</name>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="140" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="83" />
            <source>Approval date</source>
            <translation>批准日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="60" />
            <source>Baseline / forecast</source>
            <translation>基准 / 预测</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="121" />
            <source>Baseline date</source>
            <translation>基准日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="100" />
            <source>Code</source>
            <translation>代码</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="126" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="63" />
            <source>Components (APQP phase, volumes)</source>
            <translation>组件（APQP 阶段、产量）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="103" />
            <source>Contributory rate</source>
            <translation>贡献率</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="104" />
            <source>Counted</source>
            <translation>计入</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="110" />
            <source>Date</source>
            <translation>日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="130" />
            <source>End of year {n}</source>
            <translation>第 {n} 年末</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="113" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="88" />
            <source>Forecast</source>
            <translation>预测</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="122" />
            <source>Forecast date</source>
            <translation>预测日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="141" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="169" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="121" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="84" />
            <source>Integration rate</source>
            <translation>本地化率</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="259" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="266" />
            <source>Integration rate and roadmap</source>
            <translation>本地化率与路线图</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="102" />
            <source>Kind</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="124" />
            <source>Late (days)</source>
            <translation>延迟（天）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="106" />
            <source>Local parts</source>
            <translation>本地零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="109" />
            <source>Milestone</source>
            <translation>里程碑</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="116" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="82" />
            <source>Model</source>
            <translation>车型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="144" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="86" />
            <source>Next milestone</source>
            <translation>下一个里程碑</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="125" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="62" />
            <source>Owner</source>
            <translation>负责人</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="284" />
            <source>Page {n}</source>
            <translation>第 {n} 页</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="112" />
            <source>Rate reached</source>
            <translation>达成比率</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="269" />
            <source>Rates follow the reference list of each model (order of 18 October 2023); milestones per decree 22-384 art. 5 as configured; a missed milestone opens 12 months with the supply programme cut by 25 %, then a freeze (decree 24-159 art. 30).</source>
            <translation>比率依据各车型的参考清单计算（2023 年 10 月 18 日部长令）；里程碑按所配置的第 22-384 号法令第 5 条设定；未达成里程碑将进入 12 个月期限，期间供货计划削减 25 %，之后冻结（第 24-159 号法令第 30 条）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="142" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="85" />
            <source>Reference list total</source>
            <translation>参考清单合计</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="127" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="64" />
            <source>Required evidence</source>
            <translation>所需证据</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="137" />
            <source>Roadmap</source>
            <translation>路线图</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="198" />
            <source>Roadmap steps</source>
            <translation>路线图步骤</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="101" />
            <source>Set</source>
            <translation>总成</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="128" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="65" />
            <source>Sign-offs</source>
            <translation>签署</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="253" />
            <source>Site: {site} — situation on {day} — printed {at}</source>
            <translation>站点：{site} — {day} 的状况 — 打印于 {at}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="148" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="89" />
            <source>State</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="123" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="61" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="117" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="57" />
            <source>Step</source>
            <translation>步骤</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="81" />
            <source>Summary</source>
            <translation>摘要</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="111" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="59" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="87" />
            <source>Target</source>
            <translation>目标</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="120" />
            <source>Target date</source>
            <translation>目标日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="119" />
            <source>Target rate</source>
            <translation>目标比率</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="118" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="58" />
            <source>Title</source>
            <translation>标题</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="105" />
            <source>Why</source>
            <translation>原因</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="132" />
            <source>no</source>
            <translation>否</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="240" />
            <source>red: regulatory minimum; blue: forecast</source>
            <translation>红色：法规最低要求；蓝色：预测</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="149" />
            <source>until {day}</source>
            <translation>至 {day}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="131" />
            <source>yes</source>
            <translation>是</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="52" />
            <source>{day} — at least {target} (forecast {forecast})</source>
            <translation>{day} — 至少 {target}（预测 {forecast}）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="68" />
            <source>{n} days late</source>
            <translation>延迟 {n} 天</translation>
        </message>
    </context>
    <context>
        <name>RoleDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="172" />
            <source>Change role</source>
            <translation>更改角色</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="173" />
            <source>Role of {name} ({user})</source>
            <translation>{name}（{user}）的角色</translation>
        </message>
    </context>
    <context>
        <name>Roles</name>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="23" />
            <source>Administrator</source>
            <translation>管理员</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="22" />
            <source>Approver</source>
            <translation>审批人</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="20" />
            <source>Engineer</source>
            <translation>工程师</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="21" />
            <source>Quality inspector</source>
            <translation>质量检验员</translation>
        </message>
    </context>
    <context>
        <name>ScopeDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="263" />
            <source>Site {code} ({name}) may write these kinds of record here.</source>
            <translation>站点 {code}（{name}）可在此写入以下类型的记录。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="266" />
            <source>The defaults of its kind</source>
            <translation>其类型的默认设置</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="262" />
            <source>What {code} may write here</source>
            <translation>{code} 可在此写入的内容</translation>
        </message>
    </context>
    <context>
        <name>SetDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="108" />
            <source>Code</source>
            <translation>代码</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="111" />
            <source>Contributory rate (%)</source>
            <translation>贡献率（%）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="110" />
            <source>Kind</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="109" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="113" />
            <source>Set of the reference list</source>
            <translation>参考清单中的总成</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="78" />
            <source> MB</source>
            <translation> MB</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="72" />
            <source> min without input</source>
            <translation> 分钟无操作</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="70" />
            <source>Language</source>
            <translation>语言</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="77" />
            <source>Largest attachment</source>
            <translation>附件大小上限</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="71" />
            <source>Lock after</source>
            <translation>锁定时间</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="73" />
            <source>Never</source>
            <translation>从不</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="69" />
            <source>Settings</source>
            <translation>设置</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="75" />
            <source>When nobody touches the keyboard or mouse for this long, PartDesk hides the data until the same person enters their password again.</source>
            <translation>如果在这段时间内无人操作键盘或鼠标，PartDesk 会隐藏数据，直到同一人再次输入密码。</translation>
        </message>
    </context>
    <context>
        <name>SetupChecklist</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="104" />
            <source>Add a person…</source>
            <translation>添加人员…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="105" />
            <source>Add suppliers and models…</source>
            <translation>添加供应商和车型…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="161" />
            <source>Done</source>
            <translation>已完成</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="123" />
            <source>Each part names its supplier and the vehicle models it goes into: add at least one of each.</source>
            <translation>每个零件都要注明其供应商和所用于的车型：请各至少添加一个。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="117" />
            <source>Engineers who may register parts: {n}.</source>
            <translation>可登记零件的工程师：{n}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="108" />
            <source>Enrol a site on the Sync page…</source>
            <translation>在“同步”页面登记站点…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="139" />
            <source>Enrol the key of each site you exchange packages with.</source>
            <translation>登记与您交换数据包的每个站点的密钥。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="153" />
            <source>Hide the steps</source>
            <translation>隐藏步骤</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="149" />
            <source>Next: {step}.</source>
            <translation>下一步：{step}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="118" />
            <source>Only an engineer may register parts and record tests. Add the people who work here, with their roles.</source>
            <translation>只有工程师可以登记零件和记录试验。请添加在此工作的人员及其角色。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="101" />
            <source>Other sites</source>
            <translation>其他站点</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="138" />
            <source>Other sites enrolled: {n}.</source>
            <translation>已登记的其他站点：{n}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="99" />
            <source>Parts</source>
            <translation>零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="127" />
            <source>Parts registered: {n}.</source>
            <translation>已登记零件：{n}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="97" />
            <source>People</source>
            <translation>人员</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="106" />
            <source>Register a part…</source>
            <translation>登记零件…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="128" />
            <source>Register the first part, or import a sheet of parts on the Parts page.</source>
            <translation>登记第一个零件，或在“零件”页面导入零件表。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="107" />
            <source>Save the key on the Sync page…</source>
            <translation>在“同步”页面保存密钥…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="134" />
            <source>Save this site's public key and read its fingerprint to the other sites, so they can trust its packages and certificates.</source>
            <translation>保存本站点的公钥并向其他站点宣读其指纹，使它们能够信任本站点的数据包和证书。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="95" />
            <source>Setting up this site</source>
            <translation>设置本站点</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="152" />
            <source>Show the steps</source>
            <translation>显示步骤</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="147" />
            <source>Steps done: {done} of {total}.</source>
            <translation>已完成步骤：{done} / {total}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="98" />
            <source>Suppliers and vehicle models</source>
            <translation>供应商和车型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="122" />
            <source>Suppliers and vehicle models: {n}.</source>
            <translation>供应商和车型：{n}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="100" />
            <source>This site's key</source>
            <translation>本站点的密钥</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="132" />
            <source>This site's public key was saved for the other sites.</source>
            <translation>本站点的公钥已为其他站点保存。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="162" />
            <source>To do</source>
            <translation>待办</translation>
        </message>
    </context>
    <context>
        <name>Shortcuts</name>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="224" />
            <source>&amp;Keyboard shortcuts…</source>
            <translation>键盘快捷键(&amp;K)…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="140" />
            <source>Change the reading of the cell</source>
            <translation>修改单元格中的读数</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="144" />
            <source>Clear the reading of the cell</source>
            <translation>清除单元格中的读数</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="122" />
            <source>Close without saving</source>
            <translation>关闭而不保存</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/shortcuts_dialog.py" line="60" />
            <source>Does</source>
            <translation>作用</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="142" />
            <source>Drop what was typed in the cell</source>
            <translation>放弃单元格中正在输入的内容</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/shortcuts_dialog.py" line="53" />
            <source>Everything can be done from the keyboard. In the measurement grid, type a reading into the chosen cell; a USB gauge or a footswitch that types like a keyboard works the same way, and so does a barcode scanner in any search field. On a French (AZERTY) keyboard, the digits of Ctrl+1 … Ctrl+8 are those of the numeric keypad, or of the top row with Shift.</source>
            <translation>所有操作都可以用键盘完成。在测量表格中，直接在选中的单元格里输入读数；像键盘一样输入的 USB 量具或脚踏开关同样适用，任何搜索框中也可以使用条码扫描枪。在法语 (AZERTY) 键盘上，Ctrl+1 … Ctrl+8 的数字请使用数字小键盘，或按住 Shift 使用上排数字键。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="110" />
            <source>Export a sync package</source>
            <translation>导出同步数据包</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="112" />
            <source>Import a sync package</source>
            <translation>导入同步数据包</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="106" />
            <source>Import parts from a sheet (Excel, ODS or CSV)</source>
            <translation>从表格导入零件（Excel、ODS 或 CSV）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="35" />
            <source>In a dialog</source>
            <translation>在对话框中</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="36" />
            <source>In a search field</source>
            <translation>在搜索框中</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="37" />
            <source>In the measurement grid</source>
            <translation>在测量表格中</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="136" />
            <source>Keep the reading and go across to the next characteristic</source>
            <translation>保留读数并横向移到下一个特性</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="138" />
            <source>Keep the reading and go back to the previous characteristic</source>
            <translation>保留读数并返回上一个特性</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="134" />
            <source>Keep the reading and go back up</source>
            <translation>保留读数并返回上一格</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="130" />
            <source>Keep the reading and go down to the next sample; after the last sample, to the next empty cell; on an empty cell (a footswitch), move on</source>
            <translation>保留读数并下移到下一个样品；最后一个样品之后，跳到下一个空单元格；在空单元格上（脚踏开关）直接跳过</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/shortcuts_dialog.py" line="52" />
            <source>Keyboard shortcuts</source>
            <translation>键盘快捷键</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/shortcuts_dialog.py" line="60" />
            <source>Keys</source>
            <translation>按键</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="118" />
            <source>List the keyboard shortcuts</source>
            <translation>列出键盘快捷键</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="115" />
            <source>Lock the window now</source>
            <translation>立即锁定窗口</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="34" />
            <source>Main actions</source>
            <translation>主要操作</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="105" />
            <source>New part</source>
            <translation>新建零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="125" />
            <source>Open what the typed or scanned code names exactly (a part number, a gauge, a submission or certificate number); otherwise search for it</source>
            <translation>打开输入或扫描的代码所确切对应的对象（零件号、量具、提交编号或证书编号）；否则按其搜索</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="33" />
            <source>Pages</source>
            <translation>页面</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="108" />
            <source>Print the certificate chosen in the register</source>
            <translation>打印登记册中选中的证书</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="117" />
            <source>Quit</source>
            <translation>退出</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="114" />
            <source>Reload the page</source>
            <translation>重新加载页面</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="121" />
            <source>Save</source>
            <translation>保存</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="102" />
            <source>Search on this page (the parts registry where a page has no search)</source>
            <translation>在本页搜索（页面没有搜索框时在零件登记册中搜索）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="90" />
            <source>Show certification: submissions and the certificate register</source>
            <translation>显示认证：提交和证书登记册</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="95" />
            <source>Show sync: packages and sites</source>
            <translation>显示同步：数据包和站点</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="97" />
            <source>Show the conflicts to merge</source>
            <translation>显示待合并的冲突</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="84" />
            <source>Show the dashboard</source>
            <translation>显示仪表板</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="88" />
            <source>Show the gauges register</source>
            <translation>显示量具登记册</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="86" />
            <source>Show the parts registry</source>
            <translation>显示零件登记册</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="99" />
            <source>Show the people and their roles</source>
            <translation>显示人员及其角色</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="93" />
            <source>Show the roadmap</source>
            <translation>显示路线图</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="260" />
            <source>“{action}”: choose what it applies to first.</source>
            <translation>“{action}”：请先选择要操作的对象。</translation>
        </message>
    </context>
    <context>
        <name>SignInDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="147" />
            <source>Checking the password…</source>
            <translation>正在验证密码…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="145" />
            <source>Language</source>
            <translation>语言</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="138" />
            <source>PartDesk — Sign in</source>
            <translation>PartDesk — 登录</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="144" />
            <source>Password</source>
            <translation>密码</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="148" />
            <source>Quit</source>
            <translation>退出</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="146" />
            <source>Sign in</source>
            <translation>登录</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="139" />
            <source>Sign in to PartDesk</source>
            <translation>登录 PartDesk</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="141" />
            <source>Site {code} — {name}</source>
            <translation>站点 {code} — {name}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="143" />
            <source>User name</source>
            <translation>用户名</translation>
        </message>
    </context>
    <context>
        <name>SignOffDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="334" />
            <source>Comment</source>
            <translation>备注</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="336" />
            <source>Sign off step {code}</source>
            <translation>签署步骤 {code}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="333" />
            <source>Signing for</source>
            <translation>签署方</translation>
        </message>
    </context>
    <context>
        <name>Sites</name>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="173" />
            <source>Carmaker</source>
            <translation>整车厂</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="172" />
            <source>Plant</source>
            <translation>工厂</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="171" />
            <source>Supplier</source>
            <translation>供应商</translation>
        </message>
    </context>
    <context>
        <name>StepDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="214" />
            <source>APQP phase</source>
            <translation>APQP 阶段</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="232" />
            <source>Baseline date</source>
            <translation>基准日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="228" />
            <source>Code</source>
            <translation>代码</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="214" />
            <source>Component</source>
            <translation>组件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="194" />
            <source>Computed from the integration rate</source>
            <translation>由集成率计算</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="204" />
            <source>Computed: {status}</source>
            <translation>计算结果：{status}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="233" />
            <source>Forecast date</source>
            <translation>预测日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="215" />
            <source>Local</source>
            <translation>本地</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="230" />
            <source>Milestone (end of year n)</source>
            <translation>里程碑（第 n 年末）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="234" />
            <source>Owner</source>
            <translation>负责人</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="214" />
            <source>Part</source>
            <translation>零件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="236" />
            <source>Planned vehicles</source>
            <translation>计划车辆数</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="237" />
            <source>Required evidence (one per line)</source>
            <translation>所需证据（每行一项）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="202" />
            <source>Required when the status is set by hand</source>
            <translation>人工设定状态时必填</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="241" />
            <source>Roadmap step</source>
            <translation>路线图步骤</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="215" />
            <source>Set</source>
            <translation>套件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="234" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="231" />
            <source>Target date</source>
            <translation>目标日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="229" />
            <source>Target rate (%)</source>
            <translation>目标比率（%）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="228" />
            <source>Title</source>
            <translation>标题</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="214" />
            <source>Volumes</source>
            <translation>数量</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="217" />
            <source>Volumes (2027-Q1: 1200; 2027-Q2: 3000)</source>
            <translation>产量（2027-Q1: 1200; 2027-Q2: 3000）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="235" />
            <source>Why set by hand</source>
            <translation>人工设定的原因</translation>
        </message>
    </context>
    <context>
        <name>StepTimelineWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/step_timeline.py" line="38" />
            <source>No roadmap step yet.</source>
            <translation>尚无路线图步骤。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/step_timeline.py" line="37" />
            <source>Today</source>
            <translation>今天</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/step_timeline.py" line="137" />
            <source>late by %Ln days</source>
            <translation>
                <numerusform>延迟 %Ln 天</numerusform>
            </translation>
        </message>
        <message>
            <source>late {n} d</source>
            <translation type="vanished">延迟 {n} 天</translation>
        </message>
    </context>
    <context>
        <name>SupplyRulesDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="373" />
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="375" />
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="377" />
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="379" />
            <source>Comes from</source>
            <translation>来源</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="372" />
            <source>Grace after a missed milestone (months)</source>
            <translation>里程碑未达成后的宽限期（月）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="382" />
            <source>Rules for a missed milestone</source>
            <translation>里程碑未达成的规则</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="370" />
            <source>Still missed at the end: the supply programme is frozen</source>
            <translation>结束时仍未达成：冻结供货计划</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="374" />
            <source>Supply programme cut during the grace (%)</source>
            <translation>宽限期内供货计划削减（%）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="369" />
            <source>The cut ends as soon as the rate is reached</source>
            <translation>一旦达到比率即结束削减</translation>
        </message>
    </context>
    <context>
        <name>SyncDialogs</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="232" />
            <source>A package from this site holding any other kind of record is refused. A site always writes its own site record and people; no other site may write them here, whatever is checked.</source>
            <translation>来自该站点的数据包若含有任何其他类型的记录，将被拒绝。站点始终自行写入其站点记录和人员；无论勾选了什么，其他站点均不得在此写入这些内容。</translation>
        </message>
    </context>
    <context>
        <name>SyncPage</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="325" />
            <source>%Ln records hold competing versions; merge them on the Conflicts page.</source>
            <translation>
                <numerusform>%Ln 条记录存在冲突版本；请在“冲突”页面合并。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="294" />
            <source>Checking the package…</source>
            <translation>正在检查数据包…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="156" />
            <source>Enrol a site…</source>
            <translation>登记站点…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="152" />
            <source>Exchange with other sites</source>
            <translation>与其他站点交换数据</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="153" />
            <source>Export a package…</source>
            <translation>导出数据包…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="164" />
            <source>File</source>
            <translation>文件</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="283" />
            <source>Import a package</source>
            <translation>导入数据包</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="154" />
            <source>Import a package…</source>
            <translation>导入数据包…</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="322" />
            <source>Imported package no. {seq} from {code}: %Ln new revisions.</source>
            <translation>
                <numerusform>已导入来自 {code} 的第 {seq} 号数据包：%Ln 个新修订。</numerusform>
            </translation>
        </message>
        <message>
            <source>Imported package no. {seq} from {code}: {new} new revisions.</source>
            <translation type="vanished">已导入来自 {code} 的第 {seq} 号数据包：{new} 个新修订。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="313" />
            <source>Importing the package…</source>
            <translation>正在导入数据包…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="161" />
            <source>Key</source>
            <translation>密钥</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="161" />
            <source>Key fingerprint</source>
            <translation>密钥指纹</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="160" />
            <source>Kind</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="162" />
            <source>Last package received</source>
            <translation>最近收到的数据包</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="161" />
            <source>Last package sent</source>
            <translation>最近发送的数据包</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="160" />
            <source>May write here</source>
            <translation>可在此写入</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="160" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="123" />
            <source>No other site yet. Save this site's key, send it to the other sites, and enrol theirs with “Enrol a site…” (an administrator's work).</source>
            <translation>尚无其他站点。请保存本站点的密钥并发送给其他站点，再通过“登记站点…”登记它们的密钥（由管理员操作）。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="126" />
            <source>No package was refused.</source>
            <translation>没有被拒绝的数据包。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="162" />
            <source>Not sent yet</source>
            <translation>尚未发送</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="275" />
            <source>Package no. {seq} written to {path}: {revisions} revisions, {blobs} files.</source>
            <translation>第 {seq} 号数据包已写入 {path}：{revisions} 个修订，{blobs} 个文件。</translation>
        </message>
        <message>
            <source>PartDesk packages (*.partdesk *.zip)</source>
            <translation type="vanished">PartDesk 数据包 (*.partdesk *.zip)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="284" />
            <source>PartDesk packages (*.partdesk *.zip);;All files (*)</source>
            <translation>PartDesk 数据包 (*.partdesk *.zip);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="164" />
            <source>Reason</source>
            <translation>原因</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="411" />
            <source>Refuse every new package signed by {code}'s key? Packages already imported stay.</source>
            <translation>拒绝所有由 {code} 的密钥签名的新数据包？已导入的数据包将保留。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="164" />
            <source>Refused on</source>
            <translation>拒绝日期</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="187" />
            <source>Refused packages ({n})</source>
            <translation>被拒绝的数据包（{n}）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="410" />
            <source>Retire the site's key</source>
            <translation>停用该站点的密钥</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="157" />
            <source>Retire the site's key…</source>
            <translation>停用该站点的密钥…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="342" />
            <source>Save this site's key</source>
            <translation>保存本站点的密钥</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="155" />
            <source>Save this site's key…</source>
            <translation>保存本站点的密钥…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="160" />
            <source>Site</source>
            <translation>站点</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="344" />
            <source>Site key files (*.partdesk-key)</source>
            <translation>站点密钥文件 (*.partdesk-key)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="384" />
            <source>Site {code} ({name}) is enrolled.</source>
            <translation>站点 {code}（{name}）已登记。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="401" />
            <source>Site {code} may now write here: {types}.</source>
            <translation>站点 {code} 现在可在此写入：{types}。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="186" />
            <source>Sites ({n})</source>
            <translation>站点（{n}）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="149" />
            <source>Sync</source>
            <translation>同步</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="423" />
            <source>The key of {code} is retired.</source>
            <translation>{code} 的密钥已停用。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="361" />
            <source>The public key of {code} is in {path}. Read its fingerprint out to the other site: {fp}</source>
            <translation>{code} 的公钥位于 {path}。请向对方站点宣读其指纹：{fp}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="320" />
            <source>This package was imported before; nothing changed.</source>
            <translation>此数据包此前已导入；未做任何更改。</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="188" />
            <source>This site: {code} — {name}. Key fingerprint: {fp}</source>
            <translation>本站点：{code} — {name}。密钥指纹：{fp}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="158" />
            <source>What it may write…</source>
            <translation>可写入的内容…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="273" />
            <source>Writing the package…</source>
            <translation>正在写入数据包…</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="243" />
            <source>changed here (%Ln kinds)</source>
            <translation>
                <numerusform>已在本站修改（%Ln 类）</numerusform>
            </translation>
        </message>
        <message>
            <source>changed here ({n} kinds)</source>
            <translation type="vanished">已在本站修改（{n} 类）</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="192" />
            <source>enrolled</source>
            <translation>已登记</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="197" />
            <source>no. {n}, made {made}, imported {at}</source>
            <translation>第 {n} 号，创建于 {made}，导入于 {at}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="194" />
            <source>no. {n}, {at}</source>
            <translation>第 {n} 号，{at}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="193" />
            <source>not enrolled</source>
            <translation>未登记</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="192" />
            <source>retired</source>
            <translation>已停用</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="242" />
            <source>the defaults of its kind ({n})</source>
            <translation>按其类型的默认设置（{n}）</translation>
        </message>
        <message>
            <source>{n} records hold competing versions; merge them on the Conflicts page.</source>
            <translation type="vanished">{n} 条记录存在冲突版本；请在“冲突”页面合并。</translation>
        </message>
    </context>
    <context>
        <name>TaskRunner</name>
        <message>
            <location filename="../../desktop_app/ui/tasks.py" line="93" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
    </context>
    <context>
        <name>cli</name>
        <message>
            <source>  (superseded)</source>
            <translation type="vanished">  （已被取代）</translation>
        </message>
        <message>
            <source>  OVERDUE</source>
            <translation type="vanished">  已逾期</translation>
        </message>
        <message>
            <source>  {type}: {new} new, {known} already known, {conflicting} conflicting</source>
            <translation type="vanished">  {type}：新增 {new}，已有 {known}，冲突 {conflicting}</translation>
        </message>
        <message>
            <source> Details: {log}</source>
            <translation type="vanished"> 详情：{log}</translation>
        </message>
        <message>
            <source> for {site}</source>
            <translation type="vanished"> （发往 {site}）</translation>
        </message>
        <message>
            <source>Added {n} characteristics.</source>
            <translation type="vanished">已添加 {n} 个特性。</translation>
        </message>
        <message>
            <source>Added {user} as {role}.</source>
            <translation type="vanished">已添加 {user}，角色为{role}。</translation>
        </message>
        <message>
            <source>All checks passed: database, audit log, revisions and files.</source>
            <translation type="vanished">全部检查通过：数据库、审计日志、修订和文件。</translation>
        </message>
        <message>
            <source>Backup written: {path}</source>
            <translation type="vanished">备份已写入：{path}</translation>
        </message>
        <message>
            <source>Dry run: nothing was changed.</source>
            <translation type="vanished">试运行：未做任何更改。</translation>
        </message>
        <message>
            <source>Dry run: nothing was saved.</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">试运行：未保存任何内容。</translation>
        </message>
        <message>
            <source>Files: {new} new of {total}.</source>
            <translation type="vanished">文件：共 {total} 个，其中新增 {new} 个。</translation>
        </message>
        <message>
            <source>Gauge {code} added (due {due}).</source>
            <translation type="vanished">已添加量具 {code}（校准到期日 {due}）。</translation>
        </message>
        <message>
            <source>Grace period until {day}; supply programme at {factor} of plan.</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">宽限期至 {day}；供货计划为原计划的 {factor}。</translation>
        </message>
        <message>
            <source>Imported: {created} new, {changed} changed, {suppliers} suppliers created.</source>
            <translation type="vanished">已导入：新增 {created}，修改 {changed}，新建供应商 {suppliers} 家。</translation>
        </message>
        <message>
            <source>Imported: {new} new revisions.</source>
            <translation type="vanished">已导入：{new} 个新修订。</translation>
        </message>
        <message>
            <source>Interrupted; nothing more was changed.</source>
            <translation type="vanished">已中断；未再做任何更改。</translation>
        </message>
        <message>
            <source>It is older than the last package received from {code} ({last}); only what is missing is applied.</source>
            <translation type="vanished">该数据包早于从 {code} 收到的上一个数据包（{last}）；仅应用缺少的内容。</translation>
        </message>
        <message>
            <source>Linked {part} to {set}.</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">已将 {part} 关联到 {set}。</translation>
        </message>
        <message>
            <source>Merged {record}: version {rev}.</source>
            <translation type="vanished">已合并 {record}：版本 {rev}。</translation>
        </message>
        <message>
            <source>Next milestone: {day}, at least {target} (forecast {forecast})</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">下一个里程碑：{day}，至少 {target}（预测 {forecast}）</translation>
        </message>
        <message>
            <source>No characteristics.</source>
            <translation type="vanished">没有特性。</translation>
        </message>
        <message>
            <source>No files.</source>
            <translation type="vanished">没有文件。</translation>
        </message>
        <message>
            <source>No gauges.</source>
            <translation type="vanished">没有量具。</translation>
        </message>
        <message>
            <source>No other site is enrolled.</source>
            <translation type="vanished">未登记其他站点。</translation>
        </message>
        <message>
            <source>No readings file given.</source>
            <translation type="vanished">未提供读数文件。</translation>
        </message>
        <message>
            <source>No record holds competing versions.</source>
            <translation type="vanished">没有记录存在冲突版本。</translation>
        </message>
        <message>
            <source>No reports.</source>
            <translation type="vanished">没有报告。</translation>
        </message>
        <message>
            <source>No step.</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">没有步骤。</translation>
        </message>
        <message>
            <source>No vehicle model yet.</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">尚无车型。</translation>
        </message>
        <message>
            <source>Nothing was imported.</source>
            <translation type="vanished">未导入任何内容。</translation>
        </message>
        <message>
            <source>Package {path} written: number {seq}, {revisions} revisions, {blobs} files, {size} bytes{target}.</source>
            <translation type="vanished">数据包 {path} 已写入：编号 {seq}，{revisions} 个修订，{blobs} 个文件，{size} 字节{target}。</translation>
        </message>
        <message>
            <source>Package {seq} from {code} ({name}), made {at}.</source>
            <translation type="vanished">来自 {code}（{name}）的数据包 {seq}，创建于 {at}。</translation>
        </message>
        <message>
            <source>Public key of {code} written to {path}.
Fingerprint: {fp}
Read the fingerprint out to the other site's administrator by phone or give it on paper.</source>
            <translation type="vanished">{code} 的公钥已写入 {path}。
指纹：{fp}
请通过电话向对方站点管理员宣读该指纹，或以书面形式交给对方。</translation>
        </message>
        <message>
            <source>Rate on {day}: {rate}   (list totals {total}, {short} missing)</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">{day} 的比率：{rate}   （清单合计 {total}，缺少 {short}）</translation>
        </message>
        <message>
            <source>Report written: {path}</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">报告已写入：{path}</translation>
        </message>
        <message>
            <source>Report {number} recorded: {verdict}.</source>
            <translation type="vanished">报告 {number} 已记录：{verdict}。</translation>
        </message>
        <message>
            <source>Restored {file}; the previous state is kept in {safety}.</source>
            <translation type="vanished">已恢复 {file}；之前的状态保存在 {safety} 中。</translation>
        </message>
        <message>
            <source>Saved {path}</source>
            <translation type="vanished">已保存 {path}</translation>
        </message>
        <message>
            <source>Site {code} ({name}) is enrolled; fingerprint {fp}.</source>
            <translation type="vanished">站点 {code}（{name}）已登记；指纹 {fp}。</translation>
        </message>
        <message>
            <source>Site {code} ({name}) is set up in {folder}.
Administrator: {admin}
Key fingerprint: {fp}</source>
            <translation type="vanished">站点 {code}（{name}）已在 {folder} 中设置完成。
管理员：{admin}
密钥指纹：{fp}</translation>
        </message>
        <message>
            <source>Step {code} signed for the {party}.</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">已代表{party}签署步骤 {code}。</translation>
        </message>
        <message>
            <source>Superseded by a correction.</source>
            <translation type="vanished">已被更正取代。</translation>
        </message>
        <message>
            <source>Supplier {code} registered.</source>
            <translation type="vanished">供应商 {code} 已登记。</translation>
        </message>
        <message>
            <source>Suppliers to create: {names}</source>
            <translation type="vanished">将新建的供应商：{names}</translation>
        </message>
        <message>
            <source>The key of site {code} is retired: new packages from it are refused.</source>
            <translation type="vanished">站点 {code} 的密钥已停用：其新数据包将被拒绝。</translation>
        </message>
        <message>
            <source>The password of {user} was reset.</source>
            <translation type="vanished">{user} 的密码已重置。</translation>
        </message>
        <message>
            <source>This package was imported before; nothing changes.</source>
            <translation type="vanished">此数据包此前已导入；不做任何更改。</translation>
        </message>
        <message>
            <source>Total: {rate}</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">合计：{rate}</translation>
        </message>
        <message>
            <source>Unexpected error ({kind}).</source>
            <translation type="vanished">意外错误（{kind}）。</translation>
        </message>
        <message>
            <source>Vehicle model {code} registered.</source>
            <translation type="vanished">车型 {code} 已登记。</translation>
        </message>
        <message>
            <source>Verdict: {verdict}</source>
            <translation type="vanished">判定：{verdict}</translation>
        </message>
        <message>
            <source>Would add {n} characteristics.</source>
            <translation type="vanished">将添加 {n} 个特性。</translation>
        </message>
        <message>
            <source>Wrote {file}.</source>
            <translation type="vanished">已写入 {file}。</translation>
        </message>
        <message>
            <source>enrolled</source>
            <translation type="vanished">已登记</translation>
        </message>
        <message>
            <source>expires within 30 days</source>
            <translation type="vanished">30 天内到期</translation>
        </message>
        <message>
            <source>late by {n} days</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">延迟 {n} 天</translation>
        </message>
        <message>
            <source>not enrolled</source>
            <translation type="vanished">未登记</translation>
        </message>
        <message>
            <source>retired</source>
            <translation type="vanished">已停用</translation>
        </message>
        <message>
            <source>{code}  {name} ({kind}), {state}; fingerprint {fp}
      sent: no. {sent} {sent_at}; received: no. {got} {got_at}; {pending} revisions not sent yet</source>
            <translation type="vanished">{code}  {name}（{kind}），{state}；指纹 {fp}
      已发送：第 {sent} 号 {sent_at}；已接收：第 {got} 号 {got_at}；{pending} 个修订尚未发送</translation>
        </message>
        <message>
            <source>{code} — {name}   approved {approval}   state: {state}</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">{code} — {name}   批准日期 {approval}   状态：{state}</translation>
        </message>
        <message>
            <source>{count} parts written to {file}</source>
            <translation type="vanished">{count} 个零件已写入 {file}</translation>
        </message>
        <message>
            <source>{file}: {new} new, {changed} changed, {unchanged} unchanged, {error} with errors</source>
            <translation type="vanished">{file}：新增 {new}，修改 {changed}，未变 {unchanged}，出错 {error}</translation>
        </message>
        <message>
            <source>{model}: {rows} sets, {added} added, {changed} changed, {removed} removed; the list totals {total} ({short} missing).</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">{model}：{rows} 个总成，新增 {added}，修改 {changed}，删除 {removed}；清单合计 {total}（缺少 {short}）。</translation>
        </message>
        <message>
            <source>{n} certificate(s)</source>
            <translation type="vanished">{n} 份证书</translation>
        </message>
        <message>
            <source>{n} records now hold competing versions; see 'partdesk conflicts list'.</source>
            <translation type="vanished">现有 {n} 条记录存在冲突版本；请查看“partdesk conflicts list”。</translation>
        </message>
        <message>
            <source>{shown} of {total} parts</source>
            <translation type="vanished">显示 {shown} / 共 {total} 个零件</translation>
        </message>
        <message>
            <source>{user} is disabled.</source>
            <translation type="vanished">{user} 已停用。</translation>
        </message>
        <message>
            <source>{user} is enabled.</source>
            <translation type="vanished">{user} 已启用。</translation>
        </message>
        <message>
            <source>{user} is now {role}.</source>
            <translation type="vanished">{user} 现在的角色为{role}。</translation>
        </message>
    </context>
</TS>
