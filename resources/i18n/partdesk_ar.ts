<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar" sourcelanguage="en">
    <context>
        <name>AttachmentPreviewWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/attachment_preview_widget.py" line="53" />
            <source>Choose a file to preview it.</source>
            <translation>اختر ملفًا لمعاينته.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/attachment_preview_widget.py" line="56" />
            <source>No preview for this type of file; open it with the system's viewer.</source>
            <translation>لا تتوفر معاينة لهذا النوع من الملفات؛ افتحه ببرنامج العرض في النظام.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/attachment_preview_widget.py" line="98" />
            <source>This PDF cannot be shown; open it with the system's viewer.</source>
            <translation>يتعذّر عرض ملف PDF هذا؛ افتحه ببرنامج العرض في النظام.</translation>
        </message>
    </context>
    <context>
        <name>Certification</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="154" />
            <source>%Ln certificates</source>
            <translation>
                <numerusform>%Ln شهادة</numerusform>
                <numerusform>شهادة واحدة</numerusform>
                <numerusform>شهادتان</numerusform>
                <numerusform>%Ln شهادات</numerusform>
                <numerusform>%Ln شهادة</numerusform>
                <numerusform>%Ln شهادة</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="82" />
            <source>Approve</source>
            <translation>اعتماد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="45" />
            <source>Approved</source>
            <translation>معتمدة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="177" />
            <source>At this level</source>
            <translation>في هذا المستوى</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="250" />
            <source>CONFLICT: merge first</source>
            <translation>تعارض: يجب الدمج أولاً</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="65" />
            <source>Certificate</source>
            <translation>الشهادة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="137" />
            <source>Certificate PDF</source>
            <translation>شهادة PDF</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="161" />
            <source>Certificate register</source>
            <translation>سجل الشهادات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="239" />
            <source>Certificate {number} is NOT genuine: it does not match this register's record of it; check with site {site}.</source>
            <translation>الشهادة {number} ليست أصلية: لا تطابق بياناتها المسجَّلة في هذا السجل؛ تحقّق مع الموقع {site}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="236" />
            <source>Certificate {number} is NOT genuine: it is dated {issued} but signed with a key of site {site} retired on {retired}.</source>
            <translation>الشهادة {number} ليست أصلية: تاريخها {issued} لكنها موقَّعة بمفتاح للموقع {site} أُوقف في {retired}.</translation>
        </message>
        <message>
            <source>Certificate {number} is NOT genuine: its signature does not match; the document or the code was altered.</source>
            <translation type="vanished">الشهادة {number} ليست أصلية: التوقيع لا يطابق؛ تم تعديل الوثيقة أو الرمز.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="233" />
            <source>Certificate {number} is NOT genuine: its signature is not that of site {site}; the code or the document was altered or forged.</source>
            <translation>الشهادة {number} ليست أصلية: توقيعها ليس توقيع الموقع {site}؛ تم تعديل الرمز أو الوثيقة أو تزويرهما.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="242" />
            <source>Certificate {number} is NOT genuine: the file was changed after site {site} sealed it.</source>
            <translation>الشهادة {number} ليست أصلية: عُدّل الملف بعد أن ختمه الموقع {site}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="225" />
            <source>Certificate {number} is genuine but REVOKED in this register since {since}: {why} It is no longer valid.</source>
            <translation>الشهادة {number} أصلية لكنها ملغاة في هذا السجل منذ {since}: {why} لم تعد صالحة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="211" />
            <source>Certificate {number} is genuine but REVOKED in this register: it is no longer valid.</source>
            <translation>الشهادة {number} أصلية لكنها مسحوبة في هذا السجل: لم تعد سارية.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="216" />
            <source>Certificate {number} is genuine but SUPERSEDED since {since}: certificate {replacement} replaced it; it is no longer valid.</source>
            <translation>الشهادة {number} أصلية لكنها مستبدلة منذ {since}: حلّت محلها الشهادة {replacement}؛ لم تعد صالحة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="222" />
            <source>Certificate {number} is genuine but SUSPENDED in this register since {since}: {why} It is not valid unless reinstated.</source>
            <translation>الشهادة {number} أصلية لكنها معلّقة في هذا السجل منذ {since}: {why} ليست صالحة ما لم تُستأنف.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="208" />
            <source>Certificate {number} is genuine but SUSPENDED in this register: it is not valid unless reinstated.</source>
            <translation>الشهادة {number} أصلية لكنها معلّقة في هذا السجل: ليست سارية ما لم يُعَد تفعيلها.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="199" />
            <source>Certificate {number} is genuine but no longer current: a later decision replaced it.</source>
            <translation>الشهادة {number} أصلية لكنها لم تعد سارية: حلّ محلها قرار لاحق.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="202" />
            <source>Certificate {number} is genuine but no longer current: the submission was changed after its approval and awaits re-approval.</source>
            <translation>الشهادة {number} أصلية لكنها لم تعد سارية: عُدّل الملف المقدَّم بعد اعتماده وهو ينتظر إعادة الاعتماد.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="219" />
            <source>Certificate {number} is genuine but no longer current: the submission was changed on {since}, after its approval, and awaits re-approval.</source>
            <translation>الشهادة {number} أصلية لكنها لم تعد سارية: عُدّل الملف في {since} بعد اعتماده، وهو ينتظر اعتماداً جديداً.</translation>
        </message>
        <message>
            <source>Certificate {number} is genuine but no longer valid: it is {status} in the register.</source>
            <translation type="vanished">الشهادة {number} أصلية لكنها لم تعد سارية: حالتها في السجل {status}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="205" />
            <source>Certificate {number} is genuine, but its state here is undecided: its submission was edited at two sites and must be merged.</source>
            <translation>الشهادة {number} أصلية، لكن حالتها هنا غير محسومة: عُدّل ملفها المقدَّم في موقعين ويجب دمجه.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="189" />
            <source>Certificate {number} is genuine: signed by site {site}, and an interim approval in this register ({limit}).</source>
            <translation>الشهادة {number} أصلية: موقَّعة من الموقع {site}، وهي اعتماد مؤقت في هذا السجل ({limit}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="186" />
            <source>Certificate {number} is genuine: signed by site {site}, and valid in this register.</source>
            <translation>الشهادة {number} أصلية: موقَّعة من الموقع {site}، وسارية في هذا السجل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="196" />
            <source>Certificate {number} is genuine: signed by site {site}, but its interim approval expired on {until}.</source>
            <translation>الشهادة {number} أصلية: موقَّعة من الموقع {site}، لكن اعتمادها المؤقت انتهى في {until}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="229" />
            <source>Certificate {number} is genuine: signed by site {site}, but its interim approval expired on {until}. It is not in this register.</source>
            <translation>الشهادة {number} أصلية: وقّعها الموقع {site}، لكن اعتمادها المؤقت انتهى في {until}. وهي غير مسجّلة في هذا السجل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="247" />
            <source>Certificate {number} is genuine: signed by site {site}. It is not in this register, so its current state is not known here.</source>
            <translation>الشهادة {number} أصلية: موقَّعة من الموقع {site}. وهي غير موجودة في هذا السجل، لذا فحالتها الحالية غير معروفة هنا.</translation>
        </message>
        <message>
            <source>Certificate {number} is genuine: the signature of site {site} is valid.</source>
            <translation type="vanished">الشهادة {number} أصلية: توقيع الموقع {site} صالح.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="250" />
            <source>Certificate {number} names site {site}, whose key is not enrolled here; enrol that site's key, its fingerprint confirmed, to check it.</source>
            <translation>تذكر الشهادة {number} الموقع {site} الذي لم يُسجَّل مفتاحه هنا؛ للتحقق منها، سجّل مفتاح ذلك الموقع بعد تأكيد بصمته.</translation>
        </message>
        <message>
            <source>Certificate {number} was signed by a site this installation does not know ({site}); enrol that site's key to check it.</source>
            <translation type="vanished">الشهادة {number} موقّعة من موقع غير معروف هنا ({site})؛ سجّل مفتاح ذلك الموقع للتحقق منها.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="60" />
            <source>Certification</source>
            <translation>الاعتماد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="76" />
            <source>Changed</source>
            <translation>تاريخ التعديل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="121" />
            <source>Check</source>
            <translation>تحقق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="188" />
            <source>Check completeness</source>
            <translation>التحقق من الاكتمال</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="147" />
            <source>Checking…</source>
            <translation>جارٍ التحقق…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="122" />
            <source>Choose a PDF…</source>
            <translation>اختر ملف PDF…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="163" />
            <source>Choose a certificate first.</source>
            <translation>اختر شهادة أولاً.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/new_submission_dialog.py" line="113" />
            <source>Choose a part revision.</source>
            <translation>اختر مراجعة القطعة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="237" />
            <source>Choose a submission</source>
            <translation>اختر تقديماً</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="295" />
            <source>Choose an element first.</source>
            <translation>اختر عنصراً أولاً.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="142" />
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="405" />
            <source>Complete: every required element is covered and consistent.</source>
            <translation>مكتمل: كل عنصر مطلوب مغطى ومتسق.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="53" />
            <source>Conditionally approved</source>
            <translation>معتمدة بشروط</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="232" />
            <source>Conflicting edits</source>
            <translation>تعديلات متعارضة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="90" />
            <source>Corrective action plan</source>
            <translation>خطة الإجراءات التصحيحية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="190" />
            <source>Customer: submit / retain</source>
            <translation>الزبون: تقديم / احتفاظ</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="194" />
            <source>Decisions and signatures</source>
            <translation>القرارات والتوقيعات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="162" />
            <source>Deviations</source>
            <translation>الاستثناءات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="42" />
            <source>Draft</source>
            <translation>مسودة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="116" />
            <source>Electronic signature — {action}</source>
            <translation>توقيع إلكتروني — {action}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="176" />
            <source>Element</source>
            <translation>العنصر</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="166" />
            <source>Every state</source>
            <translation>كل الحالات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="177" />
            <source>Evidence</source>
            <translation>الأدلة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_pick_dialog.py" line="54" />
            <source>Evidence recorded for this part revision (reports, then attached files):</source>
            <translation>الأدلة المسجَّلة لمراجعة القطعة هذه (التقارير، ثم الملفات المرفقة):</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="227" />
            <source>Expired</source>
            <translation>منتهية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="137" />
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="411" />
            <source>For the customer to agree: {finding}</source>
            <translation>للاتفاق مع الزبون: {finding}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="261" />
            <source>Generated from this submission</source>
            <translation>مولَّدة من هذا التقديم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="226" />
            <source>Interim</source>
            <translation>مؤقتة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="46" />
            <location filename="../../desktop_app/domain/certification.py" line="83" />
            <source>Interim approval</source>
            <translation>اعتماد مؤقت</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="52" />
            <source>Interim: until {until}, quantity {qty}</source>
            <translation>مؤقت: حتى {until}، الكمية {qty}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="73" />
            <source>Issued</source>
            <translation>تاريخ الإصدار</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/new_submission_dialog.py" line="83" />
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="71" />
            <source>Kind</source>
            <translation>النوع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="164" />
            <source>Laboratories</source>
            <translation>المخابر</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="134" />
            <source>Languages of the certificate</source>
            <translation>لغات الشهادة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="191" />
            <source>Level 4: the customer says per element whether it is submitted.</source>
            <translation>المستوى 4: يحدّد الزبون لكل عنصر ما إذا كان يُقدَّم.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="180" />
            <source>Level {n}</source>
            <translation>المستوى {n}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_pick_dialog.py" line="53" />
            <source>Link evidence</source>
            <translation>ربط الأدلة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="185" />
            <source>Link evidence…</source>
            <translation>ربط الأدلة…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="231" />
            <source>Needs re-approval</source>
            <translation>تحتاج إعادة اعتماد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/new_submission_dialog.py" line="81" />
            <source>New submission</source>
            <translation>تقديم جديد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="169" />
            <source>New submission…</source>
            <translation>تقديم جديد…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="90" />
            <source>No certificate among those asked for.</source>
            <translation>لا توجد شهادة من بين المطلوبة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="91" />
            <source>No certificate issued yet: a certificate is issued when a submission is approved.</source>
            <translation>لم تصدر أي شهادة بعد: تصدر الشهادة عند اعتماد التقديم.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_pick_dialog.py" line="69" />
            <source>No evidence is recorded for this part revision yet.</source>
            <translation>لم تُسجَّل أي أدلة لمراجعة القطعة هذه بعد.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="106" />
            <source>No submission matches this search or state.</source>
            <translation>لا يوجد تقديم يطابق هذا البحث أو هذه الحالة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="108" />
            <source>No submission yet. A submission is prepared for a part revision with “New submission…”.</source>
            <translation>لا يوجد تقديم بعد. يُعَدّ التقديم لمراجعة قطعة عبر «تقديم جديد…».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="176" />
            <source>No.</source>
            <translation>رقم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="342" />
            <source>Not applicable</source>
            <translation>غير منطبق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="178" />
            <source>Not applicable because</source>
            <translation>غير منطبق لأن</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="187" />
            <source>Not applicable…</source>
            <translation>غير منطبق…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="25" />
            <source>OTS engineering approval</source>
            <translation>اعتماد هندسي OTS</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="380" />
            <source>Only elements marked * at this level take the customer's choice.</source>
            <translation>لا تخضع لاختيار الزبون إلا العناصر المعلَّمة بـ * في هذا المستوى.</translation>
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
            <translation>ملفات PDF (*.pdf)</translation>
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
            <translation>مستوى PPAP</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="69" />
            <source>Part</source>
            <translation>القطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="66" />
            <source>Part number</source>
            <translation>رقم القطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/new_submission_dialog.py" line="82" />
            <source>Part revision</source>
            <translation>مراجعة القطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="46" />
            <source>Part {part}, drawing revision {rev}; {type}; issued {issued}</source>
            <translation>القطعة {part}، مراجعة الرسم {rev}؛ {type}؛ صدرت في {issued}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="91" />
            <source>Password</source>
            <translation>كلمة المرور</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/certificate_printing.py" line="56" />
            <source>Print {title}</source>
            <translation>طباعة {title}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="131" />
            <source>Print…</source>
            <translation>طباعة…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="88" />
            <source>Quantity limit (0: none)</source>
            <translation>حد الكمية (0: بلا حد)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/new_submission_dialog.py" line="84" />
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="84" />
            <source>Reason</source>
            <translation>السبب</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/new_submission_dialog.py" line="84" />
            <source>Reason (details)</source>
            <translation>السبب (التفاصيل)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="184" />
            <source>Reason for submission</source>
            <translation>سبب التقديم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="87" />
            <source>Reinstate</source>
            <translation>إعادة التفعيل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="84" />
            <source>Reject</source>
            <translation>رفض</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="47" />
            <source>Rejected</source>
            <translation>مرفوضة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="186" />
            <source>Remove links</source>
            <translation>إزالة الروابط</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="85" />
            <source>Reopen for resubmission</source>
            <translation>إعادة الفتح لإعادة التقديم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="163" />
            <source>Retention</source>
            <translation>مدة الحفظ</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="88" />
            <source>Revoke</source>
            <translation>سحب</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="229" />
            <location filename="../../desktop_app/domain/certification.py" line="49" />
            <source>Revoked</source>
            <translation>مسحوبة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="132" />
            <source>Save PDF…</source>
            <translation>حفظ PDF…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/certificate_printing.py" line="64" />
            <source>Save certificate</source>
            <translation>حفظ الشهادة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="181" />
            <source>Saved {file}.</source>
            <translation>تم حفظ {file}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="117" />
            <source>Scan the QR code of a printed certificate with a handheld scanner, paste its text, or choose the PDF file. Nothing leaves this computer.</source>
            <translation>امسح رمز QR لشهادة مطبوعة بماسح يدوي، أو الصق نصه، أو اختر ملف PDF. لا يغادر أي شيء هذا الحاسوب.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/new_submission_dialog.py" line="82" />
            <source>Search parts</source>
            <translation>البحث عن القطع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="165" />
            <source>Search submission numbers</source>
            <translation>البحث برقم التقديم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="127" />
            <source>Sign</source>
            <translation>توقيع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="441" />
            <source>Signed and recorded.</source>
            <translation>تم التوقيع والتسجيل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="123" />
            <source>Signed by {name}</source>
            <translation>وقّعه {name}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="55" />
            <source>Signed with key {fingerprint}</source>
            <translation>موقَّع بالمفتاح {fingerprint}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="148" />
            <source>Signing…</source>
            <translation>جارٍ التوقيع…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="81" />
            <source>Start review</source>
            <translation>بدء المراجعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="74" />
            <source>State</source>
            <translation>الحالة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="69" />
            <source>Status</source>
            <translation>الوضع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="67" />
            <source>Submission</source>
            <translation>التقديم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="160" />
            <source>Submissions</source>
            <translation>التقديمات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="80" />
            <source>Submit</source>
            <translation>تقديم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="43" />
            <source>Submitted</source>
            <translation>مقدَّمة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="230" />
            <source>Superseded</source>
            <translation>مستبدلة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="86" />
            <source>Suspend</source>
            <translation>تعليق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="228" />
            <location filename="../../desktop_app/domain/certification.py" line="48" />
            <source>Suspended</source>
            <translation>معلّقة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="258" />
            <source>The file carries no seal of the issuing site: its QR code was checked, not the rest of the printed page.</source>
            <translation>لا يحمل الملف ختم الموقع المُصدِر: تم التحقق من رمز QR الخاص به، وليس من بقية الصفحة المطبوعة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="256" />
            <source>This certificate file carries no seal; verify it with the issuing site.</source>
            <translation>لا يحمل ملف الشهادة هذا أي ختم؛ تحقّق منه مع الموقع المُصدِر.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="254" />
            <source>This is not a PartDesk certificate code or file.</source>
            <translation>هذا ليس رمز أو ملف شهادة PartDesk.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="67" />
            <source>Type</source>
            <translation>النوع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="44" />
            <source>Under review</source>
            <translation>قيد المراجعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="225" />
            <source>Valid</source>
            <translation>سارية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="86" />
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="75" />
            <source>Valid until</source>
            <translation>سارية حتى</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="116" />
            <source>Verify a certificate</source>
            <translation>التحقق من شهادة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="133" />
            <source>Verify a certificate…</source>
            <translation>التحقق من شهادة…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="189" />
            <source>Warrant (PSW)…</source>
            <translation>شهادة تقديم القطعة (PSW)…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="193" />
            <source>What is missing</source>
            <translation>ما الذي ينقص</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="343" />
            <source>Why is this element not applicable? (empty: applicable)</source>
            <translation>لماذا لا ينطبق هذا العنصر؟ (فارغ: منطبق)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="118" />
            <source>Your signature is recorded with your name, this meaning, the time and the exact revision of the submission. Type your password to sign.</source>
            <translation>يُسجَّل توقيعك مع اسمك ودلالة التوقيع والوقت والمراجعة الدقيقة للملف المقدَّم. اكتب كلمة المرور للتوقيع.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="146" />
            <source>approved</source>
            <translation>اعتُمد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="283" />
            <source>covers a previous revision: the certificate needs re-approval</source>
            <translation>تغطي مراجعة سابقة: تحتاج الشهادة إلى إعادة اعتماد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="71" />
            <source>expires within 30 days</source>
            <translation>تنتهي خلال 30 يوماً</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="147" />
            <source>given an interim approval</source>
            <translation>مُنح اعتمادًا مؤقتًا</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="279" />
            <source>its site's signature does not verify here</source>
            <translation>توقيع موقعه لا يمكن التحقق منه هنا</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="151" />
            <source>reinstated</source>
            <translation>أُعيد تفعيله</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="148" />
            <source>rejected</source>
            <translation>رُفض</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="149" />
            <source>reopened</source>
            <translation>أُعيد فتحه</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="152" />
            <source>revoked</source>
            <translation>سُحب</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="144" />
            <source>submitted</source>
            <translation>قُدِّم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="150" />
            <source>suspended</source>
            <translation>عُلِّق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="145" />
            <source>taken into review</source>
            <translation>وُضع قيد المراجعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="261" />
            <source>until {date}</source>
            <translation>حتى {date}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="258" />
            <source>{choice} (customer)</source>
            <translation>{choice} (الزبون)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="247" />
            <source>{kind} · {state} · round {round}</source>
            <translation>{kind} · {state} · الجولة {round}</translation>
        </message>
        <message>
            <source>{n} certificate(s)</source>
            <translation type="vanished">{n} شهادة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="262" />
            <source>{quantity} parts</source>
            <translation>{quantity} قطعة</translation>
        </message>
    </context>
    <context>
        <name>CharacteristicDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="82" />
            <source>Add a characteristic</source>
            <translation>إضافة خاصية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="83" />
            <source>Change characteristic {number}</source>
            <translation>تعديل الخاصية {number}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="114" />
            <source>Class</source>
            <translation>الصنف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="100" />
            <source>Description</source>
            <translation>الوصف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="105" />
            <source>Gauge (register id)</source>
            <translation>أداة القياس (معرّف السجل)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="101" />
            <source>Lower tolerance (e.g. -0.1)</source>
            <translation>التفاوت الأدنى (مثلًا -0.1)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="104" />
            <source>Measuring method</source>
            <translation>طريقة القياس</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="101" />
            <source>Nominal</source>
            <translation>القيمة الاسمية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="100" />
            <source>Number (balloon)</source>
            <translation>الرقم (الفقاعة)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="112" />
            <source>Type</source>
            <translation>النوع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="104" />
            <source>Unit</source>
            <translation>الوحدة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="102" />
            <source>Upper tolerance (e.g. +0.1)</source>
            <translation>التفاوت الأعلى (مثلًا +0.1)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="103" />
            <source>or lower limit</source>
            <translation>أو الحد الأدنى</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="103" />
            <source>or upper limit</source>
            <translation>أو الحد الأعلى</translation>
        </message>
    </context>
    <context>
        <name>Cli</name>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="171" />
            <source>  %GRR of the tolerance {value}</source>
            <translation>  %GRR من التفاوت {value}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="281" />
            <source>  (superseded)</source>
            <translation>  (مستبدَل)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/laboratories.py" line="62" />
            <source>  EXPIRED</source>
            <translation>  منتهية الصلاحية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="131" />
            <source>  OVERDUE</source>
            <translation>  متأخرة</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/retention.py" line="61" />
            <source>  PAST RETENTION: %Ln records</source>
            <translation>
                <numerusform>  تجاوز مدة الحفظ: %Ln سجل</numerusform>
                <numerusform>  تجاوز مدة الحفظ: سجل واحد</numerusform>
                <numerusform>  تجاوز مدة الحفظ: سجلان</numerusform>
                <numerusform>  تجاوز مدة الحفظ: %Ln سجلات</numerusform>
                <numerusform>  تجاوز مدة الحفظ: %Ln سجلًا</numerusform>
                <numerusform>  تجاوز مدة الحفظ: %Ln سجل</numerusform>
            </translation>
        </message>
        <message>
            <source>  PAST RETENTION: {n} record(s)</source>
            <translation type="vanished">  تجاوز مدة الحفظ: {n} سجل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/laboratories.py" line="63" />
            <source>  expires within 60 days</source>
            <translation>  تنتهي خلال 60 يوماً</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="104" />
            <source>  {type}: {new} new, {known} already known, {conflicting} conflicting</source>
            <translation>  {type}: {new} جديدة، {known} معروفة مسبقًا، {conflicting} متعارضة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="214" />
            <source> (a retired site: its key no longer imports)</source>
            <translation> (موقع موقوف: لم يعد مفتاحه يسمح بالاستيراد)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="132" />
            <source> (this PC)</source>
            <translation> (هذا الحاسوب)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="280" />
            <source> Details: {log}</source>
            <translation> التفاصيل: {log}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="88" />
            <source> for {site}</source>
            <translation> لـ {site}</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/certification.py" line="76" />
            <source>%Ln certificates</source>
            <translation>
                <numerusform>%Ln شهادة</numerusform>
                <numerusform>شهادة واحدة</numerusform>
                <numerusform>شهادتان</numerusform>
                <numerusform>%Ln شهادات</numerusform>
                <numerusform>%Ln شهادة</numerusform>
                <numerusform>%Ln شهادة</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/deviations.py" line="77" />
            <source>%Ln deviations</source>
            <translation>
                <numerusform>%Ln استثناء</numerusform>
                <numerusform>استثناء واحد</numerusform>
                <numerusform>استثناءان</numerusform>
                <numerusform>%Ln استثناءات</numerusform>
                <numerusform>%Ln استثناءً</numerusform>
                <numerusform>%Ln استثناء</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/laboratories.py" line="66" />
            <source>%Ln laboratories</source>
            <translation>
                <numerusform>%Ln مخبر</numerusform>
                <numerusform>مخبر واحد</numerusform>
                <numerusform>مخبران</numerusform>
                <numerusform>%Ln مخابر</numerusform>
                <numerusform>%Ln مخبرًا</numerusform>
                <numerusform>%Ln مخبر</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/retention.py" line="63" />
            <source>%Ln part revisions out of production</source>
            <translation>
                <numerusform>%Ln مراجعة قطعة خارج الإنتاج</numerusform>
                <numerusform>مراجعة قطعة واحدة خارج الإنتاج</numerusform>
                <numerusform>مراجعتا قطعة خارج الإنتاج</numerusform>
                <numerusform>%Ln مراجعات قطع خارج الإنتاج</numerusform>
                <numerusform>%Ln مراجعة قطعة خارج الإنتاج</numerusform>
                <numerusform>%Ln مراجعة قطعة خارج الإنتاج</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/parts.py" line="218" />
            <source>%Ln parts written to {file}</source>
            <translation>
                <numerusform>كُتبت %Ln قطعة في {file}</numerusform>
                <numerusform>كُتبت قطعة واحدة في {file}</numerusform>
                <numerusform>كُتبت قطعتان في {file}</numerusform>
                <numerusform>كُتبت %Ln قطع في {file}</numerusform>
                <numerusform>كُتبت %Ln قطعة في {file}</numerusform>
                <numerusform>كُتبت %Ln قطعة في {file}</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/sync.py" line="124" />
            <source>%Ln records now hold competing versions; see 'partdesk conflicts list'.</source>
            <translation>
                <numerusform>يحتوي الآن %Ln سجل على نسخ متعارضة؛ راجع «partdesk conflicts list».</numerusform>
                <numerusform>يحتوي الآن سجل واحد على نسخ متعارضة؛ راجع «partdesk conflicts list».</numerusform>
                <numerusform>يحتوي الآن سجلان على نسخ متعارضة؛ راجع «partdesk conflicts list».</numerusform>
                <numerusform>يحتوي الآن %Ln سجلات على نسخ متعارضة؛ راجع «partdesk conflicts list».</numerusform>
                <numerusform>يحتوي الآن %Ln سجلًا على نسخ متعارضة؛ راجع «partdesk conflicts list».</numerusform>
                <numerusform>يحتوي الآن %Ln سجل على نسخ متعارضة؛ راجع «partdesk conflicts list».</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/retention.py" line="52" />
            <source>%Ln records past retention; none is deleted.</source>
            <translation>
                <numerusform>%Ln سجل تجاوز مدة الحفظ؛ لا يُحذف أي منها.</numerusform>
                <numerusform>سجل واحد تجاوز مدة الحفظ؛ لا يُحذف أي منها.</numerusform>
                <numerusform>سجلان تجاوز مدة الحفظ؛ لا يُحذف أي منها.</numerusform>
                <numerusform>%Ln سجلات تجاوز مدة الحفظ؛ لا يُحذف أي منها.</numerusform>
                <numerusform>%Ln سجلًا تجاوز مدة الحفظ؛ لا يُحذف أي منها.</numerusform>
                <numerusform>%Ln سجل تجاوز مدة الحفظ؛ لا يُحذف أي منها.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="176" />
            <source>A site always writes its own site record and people; no other site may write them here.</source>
            <translation>يكتب كل موقع دائمًا سجل موقعه وأشخاصه بنفسه؛ ولا يجوز لأي موقع آخر كتابتها هنا.</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/evidence.py" line="170" />
            <source>Added %Ln characteristics.</source>
            <translation>
                <numerusform>أُضيفت %Ln خاصية.</numerusform>
                <numerusform>أُضيفت خاصية واحدة.</numerusform>
                <numerusform>أُضيفت خاصيتان.</numerusform>
                <numerusform>أُضيفت %Ln خصائص.</numerusform>
                <numerusform>أُضيفت %Ln خاصية.</numerusform>
                <numerusform>أُضيفت %Ln خاصية.</numerusform>
            </translation>
        </message>
        <message>
            <source>Added {n} characteristics.</source>
            <translation type="vanished">أُضيفت {n} خاصية.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/people.py" line="69" />
            <source>Added {user} as {role}.</source>
            <translation>أُضيف {user} بدور {role}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/core.py" line="103" />
            <source>All checks passed: database, audit log, revisions and files.</source>
            <translation>نجحت كل عمليات التحقق: قاعدة البيانات وسجل التدقيق والمراجعات والملفات.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="175" />
            <source>Appraiser  within  vs reference  kappa  miss  false alarm</source>
            <translation>المقيّم  داخلي  مقابل المرجع  كابا  إخفاق  إنذار كاذب</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/core.py" line="112" />
            <source>Backup written: {path}</source>
            <translation>كُتبت النسخة الاحتياطية: {path}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="251" />
            <source>Belongs to site {code}: only {code} can merge it.</source>
            <translation>يخص الموقع {code}: لا يمكن دمجه إلا من قِبل {code}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="180" />
            <source>Between appraisers {between} %, all vs reference {all} %</source>
            <translation>بين المقيّمين {between} %، الجميع مقابل المرجع {all} %</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="174" />
            <source>Beyond its kind's defaults: {extra}; withheld: {missing}.</source>
            <translation>زيادةً على الإعدادات الافتراضية لنوعه: {extra}؛ غير الممنوحة: {missing}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="167" />
            <source>Certificate {number} issued.</source>
            <translation>صدرت الشهادة {number}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="250" />
            <source>Created here: you decide what to keep.</source>
            <translation>أُنشئ هنا: أنت من يقرر ما يُحتفظ به.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/deviations.py" line="95" />
            <source>Deviation {number} requested; it waives nothing until the customer approves it.</source>
            <translation>طُلب الاستثناء {number}؛ لا يُعفي من شيء حتى يعتمده الزبون.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/diagnostics.py" line="38" />
            <source>Diagnostics written to {path}.</source>
            <translation>كُتب ملف التشخيص في {path}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="116" />
            <source>Dry run: nothing was changed.</source>
            <translation>تشغيل تجريبي: لم يتغير شيء.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="107" />
            <source>Files: {new} new of {total}.</source>
            <translation>الملفات: {new} جديدة من {total}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="140" />
            <source>Gauge {code} added (due {due}).</source>
            <translation>أُضيفت أداة القياس {code} (موعد المعايرة {due}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="102" />
            <source>Header row {row}</source>
            <translation>صف العناوين {row}</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/sync.py" line="122" />
            <source>Imported: %Ln new revisions.</source>
            <translation>
                <numerusform>تم الاستيراد: %Ln مراجعة جديدة.</numerusform>
                <numerusform>تم الاستيراد: مراجعة جديدة واحدة.</numerusform>
                <numerusform>تم الاستيراد: مراجعتان جديدتان.</numerusform>
                <numerusform>تم الاستيراد: %Ln مراجعات جديدة.</numerusform>
                <numerusform>تم الاستيراد: %Ln مراجعة جديدة.</numerusform>
                <numerusform>تم الاستيراد: %Ln مراجعة جديدة.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="177" />
            <source>Imported: {created} new, {changed} changed, {suppliers} suppliers created.</source>
            <translation>تم الاستيراد: {created} جديدة، {changed} معدَّلة، {suppliers} موردين أُنشئوا.</translation>
        </message>
        <message>
            <source>Imported: {new} new revisions.</source>
            <translation type="vanished">تم الاستيراد: {new} مراجعة جديدة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="270" />
            <source>Interrupted; nothing more was changed.</source>
            <translation>توقّف؛ لم يتغير شيء آخر.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="100" />
            <source>It is older than the last package received from {code} ({last}); only what is missing is applied.</source>
            <translation>إنها أقدم من آخر حزمة مستلمة من {code} ({last})؛ لا يُطبَّق إلا ما هو ناقص.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="96" />
            <source>Join code for one more PC of plant {site}: {code}
It works once, until {expires} (UTC). On the new PC: partdesk plant join --database-url URL --code {code}</source>
            <translation>رمز الانضمام لحاسوب إضافي في المصنع {site}: {code}
يُستعمل مرة واحدة، حتى {expires} (UTC). على الحاسوب الجديد: partdesk plant join --database-url URL --code {code}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="116" />
            <source>Key {fingerprint}</source>
            <translation>المفتاح {fingerprint}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="104" />
            <source>Latest study ({date}):</source>
            <translation>آخر دراسة ({date}):</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="82" />
            <source>MSA study of {gauge} recorded: {figures}</source>
            <translation>سُجّلت دراسة MSA لأداة القياس {gauge}: {figures}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="275" />
            <source>Merged {record}: version {rev}.</source>
            <translation>دُمج {record}: النسخة {rev}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="247" />
            <source>New password: </source>
            <translation>كلمة المرور الجديدة: </translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="102" />
            <source>No MSA study of this gauge.</source>
            <translation>لا توجد دراسة MSA لأداة القياس هذه.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="151" />
            <source>No characteristics.</source>
            <translation>لا توجد خصائص.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="291" />
            <source>No files.</source>
            <translation>لا توجد ملفات.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="132" />
            <source>No gauges.</source>
            <translation>لا توجد أدوات قياس.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/laboratories.py" line="90" />
            <source>No inspection documents.</source>
            <translation>لا توجد وثائق فحص.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="207" />
            <source>No other site is enrolled.</source>
            <translation>لا يوجد موقع آخر مسجَّل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="188" />
            <source>No readings file given.</source>
            <translation>لم يُحدَّد ملف قراءات.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="238" />
            <source>No record holds competing versions.</source>
            <translation>لا يحتوي أي سجل على نسخ متعارضة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="282" />
            <source>No reports.</source>
            <translation>لا توجد تقارير.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="162" />
            <location filename="../../desktop_app/cli/parts.py" line="173" />
            <source>Nothing was imported.</source>
            <translation>لم يُستورد شيء.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/retention.py" line="94" />
            <source>Others: 1 year after the end of production.</source>
            <translation>الآخرون: سنة واحدة بعد نهاية الإنتاج.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="141" />
            <source>PC {pc} ({name}) is removed from the plant: it signs nothing any more.</source>
            <translation>أُزيل الحاسوب {pc} ({name}) من المصنع: لم يعد يوقّع أي شيء.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="84" />
            <source>Package {path} written: number {seq}, {revisions} revisions, {blobs} files, {size} bytes{target}.</source>
            <translation>كُتبت الحزمة {path}: الرقم {seq}، {revisions} مراجعة، {blobs} ملف، {size} بايت{target}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="94" />
            <source>Package {seq} from {code} ({name}), made {at}.</source>
            <translation>الحزمة {seq} من {code} ({name})، أُعدّت في {at}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="233" />
            <source>Password for {user}: </source>
            <translation>كلمة المرور لـ {user}: </translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="81" />
            <source>Plant {code} ({name}) is set up in the database {where}; this PC's folder {folder} points at it.
Administrator: {admin}
Key fingerprint: {fp}
For each further PC: 'partdesk --user {admin} plant invite' here, then 'partdesk plant join --database-url URL --code CODE' there.</source>
            <translation>أُنشئ المصنع {code} ({name}) في قاعدة البيانات {where}؛ ومجلد هذا الحاسوب {folder} يشير إليها.
المسؤول: {admin}
بصمة المفتاح: {fp}
لكل حاسوب إضافي: 'partdesk --user {admin} plant invite' هنا، ثم 'partdesk plant join --database-url URL --code CODE' هناك.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="125" />
            <source>Plant {code} ({name}), database {where}, key fingerprint {fp}</source>
            <translation>المصنع {code} ({name})، قاعدة البيانات {where}، بصمة المفتاح {fp}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="137" />
            <source>Public key of {code} written to {path}.
Fingerprint: {fp}
Read the fingerprint out to the other site's administrator by phone or give it on paper.</source>
            <translation>كُتب المفتاح العام لـ {code} في {path}.
البصمة: {fp}
اقرأ البصمة على مسؤول الموقع الآخر بالهاتف أو سلّمها له على الورق.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="248" />
            <source>Repeat the new password: </source>
            <translation>أعد كتابة كلمة المرور الجديدة: </translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="226" />
            <source>Report {number} recorded: {verdict}.</source>
            <translation>سُجّل التقرير {number}: {verdict}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/core.py" line="157" />
            <source>Restored {file}.</source>
            <translation>تمت استعادة {file}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/core.py" line="128" />
            <location filename="../../desktop_app/cli/core.py" line="153" />
            <source>Restored {file}; the previous state is kept in {safety}.</source>
            <translation>استُعيد {file}؛ الحالة السابقة محفوظة في {safety}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="298" />
            <source>Saved {path}</source>
            <translation>تم الحفظ في {path}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="99" />
            <source>Sheet {sheet} (of {sheets}), header row {row}</source>
            <translation>الورقة {sheet} (من {sheets})، صف العناوين {row}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/deviations.py" line="107" />
            <source>Signed and recorded: deviation {number} is {status}.</source>
            <translation>وُقّع وسُجّل: الاستثناء {number} في حالة {status}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="163" />
            <source>Signed and recorded: {submission} is {state}.</source>
            <translation>وُقّع وسُجّل: {submission} في حالة {state}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="170" />
            <source>Site {code} ({kind}) may write here: {types}.</source>
            <translation>يُسمح للموقع {code} ({kind}) بالكتابة هنا: {types}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="148" />
            <source>Site {code} ({name}) is enrolled; fingerprint {fp}.</source>
            <translation>سُجّل الموقع {code} ({name})؛ البصمة {fp}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/core.py" line="75" />
            <source>Site {code} ({name}) is set up in {folder}.
Administrator: {admin}
Key fingerprint: {fp}</source>
            <translation>أُعدّ الموقع {code} ({name}) في {folder}.
المسؤول: {admin}
بصمة المفتاح: {fp}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="151" />
            <source>Source</source>
            <translation>المصدر</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="263" />
            <source>Superseded by a correction.</source>
            <translation>استُبدل بتصحيح.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="249" />
            <source>Supplier {code} registered.</source>
            <translation>سُجّل المورّد {code}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="193" />
            <source>Suppliers to create: {names}</source>
            <translation>موردون سيُنشَؤون: {names}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="185" />
            <source>The key of site {code} is retired: new packages from it are refused.</source>
            <translation>أُوقف مفتاح الموقع {code}: تُرفض الحزم الجديدة الصادرة عنه.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/people.py" line="110" />
            <source>The password of {user} was reset.</source>
            <translation>أُعيد تعيين كلمة مرور {user}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="113" />
            <source>This PC is enrolled in plant {code} ({name}); its folder {folder} points at the database {where}. Sign in as usual: partdesk --user NAME ...</source>
            <translation>هذا الحاسوب مسجَّل في المصنع {code} ({name})؛ ومجلده {folder} يشير إلى قاعدة البيانات {where}. سجّل الدخول كالمعتاد: partdesk --user NAME ...</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="98" />
            <source>This package was imported before; nothing changes.</source>
            <translation>استُوردت هذه الحزمة من قبل؛ لا يتغير شيء.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="281" />
            <source>Unexpected error ({kind}).</source>
            <translation>خطأ غير متوقع ({kind}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="216" />
            <source>Valid package no. {seq} from {code}{retired}, made {at}: signature, hashes and {revisions} revisions checked, {blobs} files.</source>
            <translation>الحزمة رقم {seq} من {code}{retired} صالحة، أُنشئت في {at}: تم التحقق من التوقيع والبصمات و{revisions} مراجعة، {blobs} ملفات.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="267" />
            <source>Vehicle model {code} registered.</source>
            <translation>سُجّل طراز المركبة {code}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="261" />
            <source>Verdict: {verdict}</source>
            <translation>الحكم: {verdict}</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/diagnostics.py" line="40" />
            <source>Verify found %Ln problems; they are listed in verify.txt.</source>
            <translation>
                <numerusform>وجد التحقق %Ln مشكلة؛ وهي مدرجة في verify.txt.</numerusform>
                <numerusform>وجد التحقق مشكلة واحدة؛ وهي مدرجة في verify.txt.</numerusform>
                <numerusform>وجد التحقق مشكلتان؛ وهي مدرجة في verify.txt.</numerusform>
                <numerusform>وجد التحقق %Ln مشكلات؛ وهي مدرجة في verify.txt.</numerusform>
                <numerusform>وجد التحقق %Ln مشكلة؛ وهي مدرجة في verify.txt.</numerusform>
                <numerusform>وجد التحقق %Ln مشكلة؛ وهي مدرجة في verify.txt.</numerusform>
            </translation>
        </message>
        <message>
            <source>Verify found {count} problems; they are listed in verify.txt.</source>
            <translation type="vanished">وجد التحقق {count} مشكلة؛ وهي مدرجة في verify.txt.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="127" />
            <source>Warning: {sentence}</source>
            <translation>تحذير: {sentence}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="165" />
            <source>Without the interaction (pooled):</source>
            <translation>بدون التفاعل (مدمج):</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/evidence.py" line="165" />
            <source>Would add %Ln characteristics.</source>
            <translation>
                <numerusform>ستُضاف %Ln خاصية.</numerusform>
                <numerusform>ستُضاف خاصية واحدة.</numerusform>
                <numerusform>ستُضاف خاصيتان.</numerusform>
                <numerusform>ستُضاف %Ln خصائص.</numerusform>
                <numerusform>ستُضاف %Ln خاصية.</numerusform>
                <numerusform>ستُضاف %Ln خاصية.</numerusform>
            </translation>
        </message>
        <message>
            <source>Would add {n} characteristics.</source>
            <translation type="vanished">ستُضاف {n} خاصية.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="86" />
            <location filename="../../desktop_app/cli/psw.py" line="58" />
            <source>Wrote {file}.</source>
            <translation>كُتب {file}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="195" />
            <source>enrolled</source>
            <translation>مسجَّل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="130" />
            <source>enrolled {date} by {by}</source>
            <translation>سُجّل في {date} بواسطة {by}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="74" />
            <source>expires within 30 days</source>
            <translation>تنتهي خلال 30 يومًا</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/laboratories.py" line="87" />
            <source>heat</source>
            <translation>صبّة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="116" />
            <location filename="../../desktop_app/cli/msa.py" line="99" />
            <source>invalid</source>
            <translation>غير صالحة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="196" />
            <source>not enrolled</source>
            <translation>غير مسجَّل</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/retention.py" line="57" />
            <source>production ended {ended}, kept until {until} (%Ln years{who})</source>
            <translation>
                <numerusform>انتهى الإنتاج في {ended}، يُحفظ حتى {until} (%Ln سنة{who})</numerusform>
                <numerusform>انتهى الإنتاج في {ended}، يُحفظ حتى {until} (سنة واحدة{who})</numerusform>
                <numerusform>انتهى الإنتاج في {ended}، يُحفظ حتى {until} (سنتان{who})</numerusform>
                <numerusform>انتهى الإنتاج في {ended}، يُحفظ حتى {until} (%Ln سنوات{who})</numerusform>
                <numerusform>انتهى الإنتاج في {ended}، يُحفظ حتى {until} (%Ln سنة{who})</numerusform>
                <numerusform>انتهى الإنتاج في {ended}، يُحفظ حتى {until} (%Ln سنة{who})</numerusform>
            </translation>
        </message>
        <message>
            <source>production ended {ended}, kept until {until} ({years} year(s){who})</source>
            <translation type="vanished">انتهى الإنتاج في {ended}، يُحفظ حتى {until} ({years} سنة{who})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="129" />
            <source>removed {date}</source>
            <translation>أُزيل في {date}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="195" />
            <source>retired</source>
            <translation>موقوف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/deviations.py" line="61" />
            <source>until {date}</source>
            <translation>حتى {date}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="197" />
            <source>{code}  {name} ({kind}), {state}; fingerprint {fp}
      sent: no. {sent} {sent_at}; received: no. {got} {got_at}; {pending} revisions not sent yet</source>
            <translation>{code}  {name} ({kind})، {state}؛ البصمة {fp}
      المُرسَل: رقم {sent} {sent_at}؛ المُستلَم: رقم {got} {got_at}؛ {pending} مراجعة لم تُرسَل بعد</translation>
        </message>
        <message>
            <source>{count} parts written to {file}</source>
            <translation type="vanished">كُتبت {count} قطعة في {file}</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/retention.py" line="83" />
            <source>{customer}: records kept %Ln years after the end of production.</source>
            <translation>
                <numerusform>{customer}: تُحفظ السجلات %Ln سنة بعد نهاية الإنتاج.</numerusform>
                <numerusform>{customer}: تُحفظ السجلات سنة واحدة بعد نهاية الإنتاج.</numerusform>
                <numerusform>{customer}: تُحفظ السجلات سنتان بعد نهاية الإنتاج.</numerusform>
                <numerusform>{customer}: تُحفظ السجلات %Ln سنوات بعد نهاية الإنتاج.</numerusform>
                <numerusform>{customer}: تُحفظ السجلات %Ln سنة بعد نهاية الإنتاج.</numerusform>
                <numerusform>{customer}: تُحفظ السجلات %Ln سنة بعد نهاية الإنتاج.</numerusform>
            </translation>
        </message>
        <message>
            <source>{customer}: records kept {years} year(s) after the end of production.</source>
            <translation type="vanished">{customer}: تُحفظ السجلات {years} سنة بعد نهاية الإنتاج.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="189" />
            <source>{file}: {new} new, {changed} changed, {unchanged} unchanged, {error} with errors</source>
            <translation>{file}: {new} جديدة، {changed} معدَّلة، {unchanged} دون تغيير، {error} بها أخطاء</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="132" />
            <source>{kind} {shape}; %GRR {grr} % of the total variation, {tolerance} % of the tolerance, ndc {ndc}: {verdict}</source>
            <translation>{kind} {shape}؛ %GRR {grr} % من التغير الكلي، {tolerance} % من التفاوت، ndc {ndc}: {verdict}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="126" />
            <source>{kind} {shape}; effectiveness {effectiveness} %, miss rate {miss} %, false alarm rate {false_alarm} %, kappa {kappa}: {verdict}</source>
            <translation>{kind} {shape}؛ الفعالية {effectiveness} %، معدل الإخفاق {miss} %، معدل الإنذار الكاذب {false_alarm} %، كابا {kappa}: {verdict}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/laboratories.py" line="75" />
            <source>{name}: accreditation {number} valid until {until}.</source>
            <translation>{name}: الاعتماد {number} صالح حتى {until}.</translation>
        </message>
        <message>
            <source>{n} certificate(s)</source>
            <translation type="vanished">{n} شهادة</translation>
        </message>
        <message>
            <source>{n} deviation(s)</source>
            <translation type="vanished">{n} استثناء</translation>
        </message>
        <message>
            <source>{n} laboratory(ies)</source>
            <translation type="vanished">{n} مخبر</translation>
        </message>
        <message>
            <source>{n} part revision(s) out of production</source>
            <translation type="vanished">{n} مراجعة قطعة خارج الإنتاج</translation>
        </message>
        <message>
            <source>{n} record(s) past retention; none is deleted.</source>
            <translation type="vanished">{n} سجل تجاوز مدة الحفظ؛ لا يُحذف أي منها.</translation>
        </message>
        <message>
            <source>{n} records now hold competing versions; see 'partdesk conflicts list'.</source>
            <translation type="vanished">يحتوي الآن {n} سجل على نسخ متعارضة؛ راجع «partdesk conflicts list».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/retention.py" line="73" />
            <source>{part} {revision}: records kept until {until}.</source>
            <translation>{part} {revision}: تُحفظ السجلات حتى {until}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/laboratories.py" line="101" />
            <source>{report} is an EN 10204 {type} ({french}).</source>
            <translation>{report} وثيقة EN 10204 من النوع {type} ({french}).</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/parts.py" line="205" />
            <source>{shown} of %Ln parts</source>
            <translation>
                <numerusform>{shown} من %Ln قطعة</numerusform>
                <numerusform>{shown} من قطعة واحدة</numerusform>
                <numerusform>{shown} من قطعتان</numerusform>
                <numerusform>{shown} من %Ln قطع</numerusform>
                <numerusform>{shown} من %Ln قطعة</numerusform>
                <numerusform>{shown} من %Ln قطعة</numerusform>
            </translation>
        </message>
        <message>
            <source>{shown} of {total} parts</source>
            <translation type="vanished">{shown} من {total} قطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/deviations.py" line="62" />
            <source>{used} of {limit} parts</source>
            <translation>{used} من {limit} قطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/people.py" line="91" />
            <source>{user} is disabled.</source>
            <translation>عُطّل {user}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/people.py" line="91" />
            <source>{user} is enabled.</source>
            <translation>فُعّل {user}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/people.py" line="82" />
            <source>{user} is now {role}.</source>
            <translation>أصبح {user} الآن {role}.</translation>
        </message>
    </context>
    <context>
        <name>ConflictsPage</name>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="211" />
            <source>(deleted)</source>
            <translation>(محذوف)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="213" />
            <source>(shown until merged)</source>
            <translation>(معروض حتى الدمج)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="121" />
            <source>Conflicts</source>
            <translation>التعارضات</translation>
        </message>
        <message>
            <source>Each record below holds competing versions from different sites. Until someone merges them, the newest version is shown everywhere and approvals and printing wait. Choose, field by field, the value to keep.</source>
            <translation type="vanished">يحتوي كل سجل أدناه على نسخ متعارضة من مواقع مختلفة. إلى أن يدمجها أحد، تُعرض أحدث نسخة في كل مكان وتنتظر الاعتمادات والطباعة. اختر، حقلًا بحقل، القيمة التي تُحتفظ بها.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="126" />
            <source>Each record below holds competing versions from different sites. Until the site that created the record merges them, its own version is shown everywhere and approvals and printing wait. That site chooses, field by field, the value to keep.</source>
            <translation>يحتوي كل سجل أدناه على نسخ متعارضة من مواقع مختلفة. إلى أن يدمجها الموقع الذي أنشأ السجل، تُعرض نسخته هو في كل مكان وتنتظر الاعتمادات والطباعة. ويختار ذلك الموقع، حقلًا بحقل، القيمة التي يُحتفظ بها.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="206" />
            <source>Field</source>
            <translation>الحقل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="215" />
            <source>Keep</source>
            <translation>الاحتفاظ</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="135" />
            <source>Merge</source>
            <translation>دمج</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="272" />
            <source>Merged; the new version will travel with the next package.</source>
            <translation>تم الدمج؛ ستُنقل النسخة الجديدة مع الحزمة التالية.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="137" />
            <source>No record holds competing versions: there is nothing to merge.</source>
            <translation>لا يحمل أي سجل نسخاً متنافسة: لا شيء للدمج.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="133" />
            <source>Reason</source>
            <translation>السبب</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="131" />
            <source>Record</source>
            <translation>السجل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="124" />
            <source>Records edited at two sites</source>
            <translation>سجلات عُدّلت في موقعين</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="131" />
            <source>Sites</source>
            <translation>المواقع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="132" />
            <source>Start from</source>
            <translation>الانطلاق من</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="203" />
            <source>This record belongs to site {code}: only {code} can merge it, and its merge reaches you in its next package.</source>
            <translation>هذا السجل يخص الموقع {code}: لا يمكن دمجه إلا من قِبل {code}، وستصلك نتيجة الدمج في حزمته التالية.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="199" />
            <source>This record was created here: the versions from other sites are proposals, and you decide what to keep.</source>
            <translation>أُنشئ هذا السجل هنا: النسخ الواردة من المواقع الأخرى مجرد مقترحات، وأنت من يقرر ما يُحتفظ به.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="131" />
            <source>Type</source>
            <translation>النوع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="134" />
            <source>Why this is the right value</source>
            <translation>لماذا هذه هي القيمة الصحيحة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="236" />
            <source>{site}, {author} ({rev})</source>
            <translation>{site}، {author} ({rev})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="208" />
            <source>{site}, {author}, {at}</source>
            <translation>{site}، {author}، {at}</translation>
        </message>
    </context>
    <context>
        <name>ControlChartWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="51" />
            <source>A control chart needs at least two readings (two subgroups).</source>
            <translation>تحتاج خريطة المراقبة إلى قراءتين على الأقل (مجموعتين فرعيتين).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="98" />
            <source>I</source>
            <translation>I</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="77" />
            <source>I-MR chart</source>
            <translation>خريطة I-MR</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="211" />
            <source>LCL</source>
            <translation>الحد الأدنى</translation>
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
            <translation>الحد الأعلى</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="97" />
            <source>X̄</source>
            <translation>X̄</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="78" />
            <source>X̄-R chart (subgroups of {k})</source>
            <translation>خريطة X̄-R (مجموعات فرعية من {k})</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="86" />
            <source>not stable: %Ln points beyond the control limits</source>
            <translation>
                <numerusform>غير مستقرة: %Ln نقطة خارج حدود المراقبة</numerusform>
                <numerusform>غير مستقرة: نقطة واحدة خارج حدود المراقبة</numerusform>
                <numerusform>غير مستقرة: نقطتان خارج حدود المراقبة</numerusform>
                <numerusform>غير مستقرة: %Ln نقاط خارج حدود المراقبة</numerusform>
                <numerusform>غير مستقرة: %Ln نقطة خارج حدود المراقبة</numerusform>
                <numerusform>غير مستقرة: %Ln نقطة خارج حدود المراقبة</numerusform>
            </translation>
        </message>
        <message>
            <source>not stable: {count} point(s) beyond the control limits</source>
            <translation type="vanished">غير مستقرة: {count} نقطة خارج حدود المراقبة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="85" />
            <source>stable: no point beyond the control limits</source>
            <translation>مستقرة: لا نقطة خارج حدود المراقبة</translation>
        </message>
    </context>
    <context>
        <name>DamagedFolderDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/damaged_folder_dialog.py" line="100" />
            <source>An administrator of that backup signs in to restore it; the damaged database is kept aside, not deleted.</source>
            <translation>يسجّل مسؤول من تلك النسخة الاحتياطية الدخول لاستعادتها؛ وتُحفظ قاعدة البيانات التالفة جانبًا ولا تُحذف.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/damaged_folder_dialog.py" line="97" />
            <source>PartDesk — Damaged data folder</source>
            <translation>PartDesk — مجلد بيانات تالف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/damaged_folder_dialog.py" line="103" />
            <source>Password</source>
            <translation>كلمة المرور</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/damaged_folder_dialog.py" line="105" />
            <source>Quit</source>
            <translation>خروج</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/damaged_folder_dialog.py" line="104" />
            <source>Restore the newest backup</source>
            <translation>استعادة أحدث نسخة احتياطية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/damaged_folder_dialog.py" line="102" />
            <source>User name</source>
            <translation>اسم المستخدم</translation>
        </message>
    </context>
    <context>
        <name>DashboardLists</name>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="117" />
            <source>(an earlier version of the step)</source>
            <translation>(نسخة سابقة من المرحلة)</translation>
        </message>
        <message>
            <source>A milestone is still missed after its 12 months of grace: the supply programme is frozen until the rate is reached.</source>
            <translation type="vanished">لا يزال المعلم غير محقَّق بعد فترة السماح البالغة 12 شهرًا: برنامج التموين مجمَّد إلى أن تُبلَغ النسبة.</translation>
        </message>
        <message>
            <source>A milestone is still missed after its {months} months of grace: the supply programme is frozen until the rate is reached.</source>
            <translation type="vanished">لا يزال المعلم غير محقَّق بعد {months} شهراً من المهلة الإضافية: برنامج التموين مجمَّد حتى بلوغ النسبة.</translation>
        </message>
        <message>
            <source>A milestone was missed: 12 more months with the supply programme cut by 25 % (decree 24-159 art. 30).</source>
            <translation type="vanished">لم يُحقَّق معلم: 12 شهرًا إضافية مع تخفيض برنامج التموين بنسبة 25 % (المرسوم 24-159 المادة 30).</translation>
        </message>
        <message>
            <source>A milestone was missed: {months} more months with the supply programme cut by {cut} %.</source>
            <translation type="vanished">لم يُحقَّق معلم: {months} شهراً إضافية مع تخفيض برنامج التموين بنسبة {cut} %.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="44" />
            <source>A missed milestone opens {months} more months — {source}</source>
            <translation>المعلم غير المحقَّق يفتح {months} شهراً إضافية — {source}</translation>
        </message>
        <message>
            <source>APQP phase</source>
            <translation type="vanished">مرحلة APQP</translation>
        </message>
        <message>
            <source>Acknowledged up to</source>
            <translation type="vanished">مؤكَّد الاستلام حتى</translation>
        </message>
        <message>
            <source>Applied here at</source>
            <translation type="vanished">طُبّق هنا في</translation>
        </message>
        <message>
            <source>Certificate</source>
            <translation type="vanished">الشهادة</translation>
        </message>
        <message>
            <source>Code</source>
            <translation type="vanished">الرمز</translation>
        </message>
        <message>
            <source>Component</source>
            <translation type="vanished">المكوّن</translation>
        </message>
        <message>
            <source>Contributory rate</source>
            <translation type="vanished">نسبة المساهمة</translation>
        </message>
        <message>
            <source>Counts for</source>
            <translation type="vanished">يُحتسب لـ</translation>
        </message>
        <message>
            <source>Date</source>
            <translation type="vanished">التاريخ</translation>
        </message>
        <message>
            <source>Days late</source>
            <translation type="vanished">أيام التأخير</translation>
        </message>
        <message>
            <source>Days left</source>
            <translation type="vanished">الأيام المتبقية</translation>
        </message>
        <message>
            <source>Designation</source>
            <translation type="vanished">التسمية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="46" />
            <source>During them the annual supply programme is cut by {cut} % — {source}</source>
            <translation>خلالها يُخفَّض برنامج التموين السنوي بنسبة {cut} % — {source}</translation>
        </message>
        <message>
            <source>End of year {n}</source>
            <translation type="vanished">نهاية السنة {n}</translation>
        </message>
        <message>
            <source>Expires on</source>
            <translation type="vanished">ينتهي في</translation>
        </message>
        <message>
            <source>Fact</source>
            <translation type="vanished">البيان</translation>
        </message>
        <message>
            <source>Family</source>
            <translation type="vanished">العائلة</translation>
        </message>
        <message>
            <source>Forecast</source>
            <translation type="vanished">التوقع</translation>
        </message>
        <message>
            <source>Forecast date</source>
            <translation type="vanished">التاريخ المتوقع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="65" />
            <source>Forecast rate on {day}: {rate} for a target of {target}.</source>
            <translation>النسبة المتوقعة في {day}: {rate} لهدف قدره {target}.</translation>
        </message>
        <message>
            <source>Interim approvals expiring soon</source>
            <translation type="vanished">اعتمادات مؤقتة تنتهي قريبًا</translation>
        </message>
        <message>
            <source>Interim approvals valid today that end within 60 days.</source>
            <translation type="vanished">اعتمادات مؤقتة سارية اليوم تنتهي خلال 60 يومًا.</translation>
        </message>
        <message>
            <source>Key fingerprint</source>
            <translation type="vanished">بصمة المفتاح</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation type="vanished">النوع</translation>
        </message>
        <message>
            <source>Last change</source>
            <translation type="vanished">آخر تعديل</translation>
        </message>
        <message>
            <source>Last package received</source>
            <translation type="vanished">آخر حزمة مستلمة</translation>
        </message>
        <message>
            <source>Last package sent</source>
            <translation type="vanished">آخر حزمة مُرسَلة</translation>
        </message>
        <message>
            <source>Local parts (share)</source>
            <translation type="vanished">القطع المحلية (الحصة)</translation>
        </message>
        <message>
            <source>Made</source>
            <translation type="vanished">الصنع</translation>
        </message>
        <message>
            <source>Made by the site at</source>
            <translation type="vanished">أعدّها الموقع في</translation>
        </message>
        <message>
            <source>Milestone</source>
            <translation type="vanished">المعلم</translation>
        </message>
        <message>
            <source>Milestones of {model}</source>
            <translation type="vanished">معالم {model}</translation>
        </message>
        <message>
            <source>Model</source>
            <translation type="vanished">الطراز</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="55" />
            <source>No freeze at the end — {source}</source>
            <translation>لا تجميد في النهاية — {source}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="129" />
            <source>Not signed yet.</source>
            <translation>لم يُوقَّع بعد.</translation>
        </message>
        <message>
            <source>Owner</source>
            <translation type="vanished">المكلَّف</translation>
        </message>
        <message>
            <source>Part</source>
            <translation type="vanished">القطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="97" />
            <source>Planned vehicles: {volumes}</source>
            <translation>المركبات المخطَّطة: {volumes}</translation>
        </message>
        <message>
            <source>Planned volumes</source>
            <translation type="vanished">الأحجام المخططة</translation>
        </message>
        <message>
            <source>Rate on its date</source>
            <translation type="vanished">النسبة في تاريخها</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="67" />
            <source>Rate on {day}: {rate} for a target of {target}.</source>
            <translation>النسبة في {day}: {rate} لهدف قدره {target}.</translation>
        </message>
        <message>
            <source>Rate reached</source>
            <translation type="vanished">النسبة المحقَّقة</translation>
        </message>
        <message>
            <source>Reference</source>
            <translation type="vanished">المرجع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="111" />
            <source>Required evidence: {items}</source>
            <translation>الأدلة المطلوبة: {items}</translation>
        </message>
        <message>
            <source>Revisions not yet sent</source>
            <translation type="vanished">مراجعات لم تُرسَل بعد</translation>
        </message>
        <message>
            <source>Set</source>
            <translation type="vanished">المجموعة</translation>
        </message>
        <message>
            <source>Sets of {model}</source>
            <translation type="vanished">مجموعات {model}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="120" />
            <source>Signed for the {party} by {name} on {day}: {comment}</source>
            <translation>وقّعه {name} عن {party} في {day}: {comment}</translation>
        </message>
        <message>
            <source>Site</source>
            <translation type="vanished">الموقع</translation>
        </message>
        <message>
            <source>Site {code}</source>
            <translation type="vanished">الموقع {code}</translation>
        </message>
        <message>
            <source>State</source>
            <translation type="vanished">الحالة</translation>
        </message>
        <message>
            <source>Status</source>
            <translation type="vanished">الوضع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="73" />
            <source>Status set by hand: {reason}</source>
            <translation>حالة محدّدة يدوياً: {reason}</translation>
        </message>
        <message>
            <source>Step</source>
            <translation type="vanished">المرحلة</translation>
        </message>
        <message>
            <source>Step {code}</source>
            <translation type="vanished">المرحلة {code}</translation>
        </message>
        <message>
            <source>Steps: {n}</source>
            <translation type="vanished">المراحل: {n}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="53" />
            <source>Still missed at the end, the supply programme is frozen until the rate is reached — {source}</source>
            <translation>إذا بقي غير محقَّق في النهاية يُجمَّد برنامج التموين حتى بلوغ النسبة — {source}</translation>
        </message>
        <message>
            <source>Submission</source>
            <translation type="vanished">الملف المقدَّم</translation>
        </message>
        <message>
            <source>Submissions: {n}</source>
            <translation type="vanished">الملفات المقدَّمة: {n}</translation>
        </message>
        <message>
            <source>Submissions: {state}</source>
            <translation type="vanished">الملفات المقدَّمة: {state}</translation>
        </message>
        <message>
            <source>Target</source>
            <translation type="vanished">الهدف</translation>
        </message>
        <message>
            <source>Target date</source>
            <translation type="vanished">التاريخ المستهدف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="70" />
            <source>Target reached (or expected) on {day}.</source>
            <translation>الهدف محقَّق (أو متوقَّع) في {day}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="49" />
            <source>The cut ends as soon as the rate is reached — {source}</source>
            <translation>ينتهي التخفيض بمجرد بلوغ النسبة — {source}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="51" />
            <source>The cut lasts the whole period, even once the rate is reached — {source}</source>
            <translation>يستمر التخفيض طوال المدة حتى بعد بلوغ النسبة — {source}</translation>
        </message>
        <message>
            <source>The forecast reaches the next milestone in time.</source>
            <translation type="vanished">يبلغ التوقع المعلم التالي في الوقت المحدد.</translation>
        </message>
        <message>
            <source>The forecast stays below the next milestone's target on its date.</source>
            <translation type="vanished">يبقى التوقع دون هدف المعلم التالي في تاريخه.</translation>
        </message>
        <message>
            <source>Title</source>
            <translation type="vanished">العنوان</translation>
        </message>
        <message>
            <source>Value</source>
            <translation type="vanished">القيمة</translation>
        </message>
        <message>
            <source>Verdict</source>
            <translation type="vanished">الحكم</translation>
        </message>
        <message>
            <source>Why</source>
            <translation type="vanished">السبب</translation>
        </message>
        <message>
            <source>forecast met</source>
            <translation type="vanished">التوقع محقِّق للهدف</translation>
        </message>
        <message>
            <source>forecast short</source>
            <translation type="vanished">التوقع دون الهدف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="102" />
            <source>imported</source>
            <translation>مستورد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="101" />
            <source>local</source>
            <translation>محلي</translation>
        </message>
        <message>
            <source>met</source>
            <translation type="vanished">محقَّق</translation>
        </message>
        <message>
            <source>missed</source>
            <translation type="vanished">غير محقَّق</translation>
        </message>
        <message>
            <source>not signed yet</source>
            <translation type="vanished">لم يُوقَّع بعد</translation>
        </message>
        <message>
            <source>{code} — {title}. Target {rate} by {day}; status {status}. Evidence: {evidence}. Sign-offs: {signoffs}.</source>
            <translation type="vanished">{code} — {title}. الهدف {rate} بحلول {day}؛ الوضع {status}. الأدلة: {evidence}. المصادقات: {signoffs}.</translation>
        </message>
        <message>
            <source>{model}: {rate} on {day} — {n} of {total} sets count. The reference list totals {listed}.</source>
            <translation type="vanished">{model}: {rate} في {day} — تُحتسب {n} من {total} مجموعة. مجموع القائمة المرجعية {listed}.</translation>
        </message>
    </context>
    <context>
        <name>DashboardPage</name>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="166" />
            <source>Certification pipeline</source>
            <translation>مسار الاعتماد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="158" />
            <source>Dashboard</source>
            <translation>لوحة المتابعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="226" />
            <source>Ending within 60 days: {n}</source>
            <translation>تنتهي خلال 60 يومًا: {n}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="162" />
            <source>Integration rate today</source>
            <translation>نسبة الإدماج اليوم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="167" />
            <source>Interim approvals expiring soon</source>
            <translation>اعتمادات مؤقتة تنتهي قريبًا</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="169" />
            <source>Last package received from each site</source>
            <translation>آخر حزمة مستلمة من كل موقع</translation>
        </message>
        <message>
            <source>Late roadmap steps</source>
            <translation type="vanished">مراحل خارطة الطريق المتأخرة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="217" />
            <source>Late steps: {n}</source>
            <translation>المراحل المتأخرة: {n}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="266" />
            <source>Next: ≥ {target} % on {day} — forecast {forecast} %</source>
            <translation>التالي: ≥ {target} % في {day} — التوقع {forecast} %</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="269" />
            <source>No milestone ahead</source>
            <translation>لا يوجد معلم قادم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="250" />
            <source>No other site enrolled.</source>
            <translation>لا يوجد موقع آخر مسجَّل.</translation>
        </message>
        <message>
            <source>No vehicle model yet.</source>
            <translation type="vanished">لا يوجد طراز مركبة بعد.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="202" />
            <source>No vehicle model yet: add one with “Suppliers and vehicle models” in the checklist above, or on the Parts page.</source>
            <translation>لا يوجد طراز مركبة بعد: أضف طرازًا عبر «الموردون وطرازات المركبات» في القائمة أعلاه، أو في صفحة القطع.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="283" />
            <source>Parts approved today: {approved} of {registered}</source>
            <translation>القطع المعتمدة اليوم: {approved} من {registered}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="163" />
            <source>Planned and forecast rate, with the regulatory milestones</source>
            <translation>النسبة المخططة والمتوقعة، مع المعالم التنظيمية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="168" />
            <source>Record a delivery…</source>
            <translation>تسجيل تسليم…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="165" />
            <source>Roadmap steps</source>
            <translation>مراحل خارطة الطريق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="290" />
            <source>Rules: {months} months of grace, supply cut by {cut} %, {ends}, {freeze}.</source>
            <translation>القواعد: {months} شهراً من المهلة الإضافية، تخفيض التموين بنسبة {cut} %، {ends}، {freeze}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="262" />
            <source>Sets that count and why the others do not</source>
            <translation>المجموعات المحتسبة وسبب عدم احتساب الأخرى</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="285" />
            <source>The parts of this model that hold a valid PPAP approval today, on the Parts page</source>
            <translation>قطع هذا الطراز الحاصلة اليوم على اعتماد PPAP ساري، في صفحة القطع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="161" />
            <source>Where each vehicle model stands</source>
            <translation>وضع كل طراز مركبة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="347" />
            <source>certificates of interim approvals ending within {days} days</source>
            <translation>شهادات الاعتمادات المؤقتة التي تنتهي خلال {days} يومًا</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="293" />
            <source>cut ends when the rate is reached</source>
            <translation>ينتهي التخفيض عند بلوغ النسبة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="294" />
            <source>cut lasts the whole grace</source>
            <translation>يستمر التخفيض طوال المهلة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="295" />
            <source>no freeze</source>
            <translation>بلا تجميد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="365" />
            <source>parts of {model} approved on {day}</source>
            <translation>قطع {model} المعتمدة في {day}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="357" />
            <source>site {code} — {name}</source>
            <translation>الموقع {code} — {name}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="341" />
            <source>step {code} of {model}</source>
            <translation>المرحلة {code} من {model}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="352" />
            <source>submissions in the state “{state}”</source>
            <translation>التقديمات في الحالة «{state}»</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="275" />
            <source>supply at {share} of plan</source>
            <translation>التموين عند {share} من الخطة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="332" />
            <source>the late roadmap steps of every model ({n} on the dashboard)</source>
            <translation>مراحل خارطة الطريق المتأخرة لكل الطرازات ({n} في لوحة المتابعة)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="319" />
            <source>the reference list of {model}: {n} of {total} sets count</source>
            <translation>القائمة المرجعية لـ{model}: تُحتسب {n} من {total} مجموعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="326" />
            <source>the regulatory milestones of {model}: {state}</source>
            <translation>المعالم التنظيمية لـ{model}: {state}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="295" />
            <source>then frozen</source>
            <translation>ثم التجميد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="274" />
            <source>until {day}</source>
            <translation>حتى {day}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="245" />
            <source>{code}: nothing received yet</source>
            <translation>{code}: لم يُستلَم شيء بعد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="242" />
            <source>{code}: package #{seq} received {at}</source>
            <translation>{code}: الحزمة رقم {seq} مستلمة في {at}</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="230" />
            <source>{part}: until {day} (%Ln days)</source>
            <translation>
                <numerusform>{part}: حتى {day} (%Ln يوم)</numerusform>
                <numerusform>{part}: حتى {day} (يوم واحد)</numerusform>
                <numerusform>{part}: حتى {day} (يومين)</numerusform>
                <numerusform>{part}: حتى {day} (%Ln أيام)</numerusform>
                <numerusform>{part}: حتى {day} (%Ln يومًا)</numerusform>
                <numerusform>{part}: حتى {day} (%Ln يوم)</numerusform>
            </translation>
        </message>
        <message>
            <source>{part}: until {day} ({n} days)</source>
            <translation type="vanished">{part}: حتى {day} ({n} يوم)</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="234" />
            <source>{part}: {shipped} of %Ln pieces shipped ({left} left)</source>
            <translation>
                <numerusform>{part}: شُحنت {shipped} من %Ln قطعة (يتبقى {left})</numerusform>
                <numerusform>{part}: شُحنت {shipped} من قطعة واحدة (يتبقى {left})</numerusform>
                <numerusform>{part}: شُحنت {shipped} من قطعتان (يتبقى {left})</numerusform>
                <numerusform>{part}: شُحنت {shipped} من %Ln قطع (يتبقى {left})</numerusform>
                <numerusform>{part}: شُحنت {shipped} من %Ln قطعة (يتبقى {left})</numerusform>
                <numerusform>{part}: شُحنت {shipped} من %Ln قطعة (يتبقى {left})</numerusform>
            </translation>
        </message>
        <message>
            <source>{part}: {shipped} of {limit} pieces shipped ({n} left)</source>
            <translation type="vanished">{part}: سُلّمت {shipped} من {limit} قطعة (يتبقى {n})</translation>
        </message>
    </context>
    <context>
        <name>DeliveryDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/delivery_dialog.py" line="37" />
            <source>Delivery note</source>
            <translation>وصل التسليم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/delivery_dialog.py" line="34" />
            <source>Part</source>
            <translation>القطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/delivery_dialog.py" line="35" />
            <source>Pieces shipped</source>
            <translation>القطع المسلَّمة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/delivery_dialog.py" line="39" />
            <source>Record a delivery</source>
            <translation>تسجيل تسليم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/delivery_dialog.py" line="36" />
            <source>Shipped on</source>
            <translation>تاريخ التسليم</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/delivery_dialog.py" line="25" />
            <source>{part} — {certificate}: %Ln pieces left</source>
            <translation>
                <numerusform>{part} — {certificate}: يتبقى %Ln قطعة</numerusform>
                <numerusform>{part} — {certificate}: يتبقى قطعة واحدة</numerusform>
                <numerusform>{part} — {certificate}: يتبقى قطعتان</numerusform>
                <numerusform>{part} — {certificate}: يتبقى %Ln قطع</numerusform>
                <numerusform>{part} — {certificate}: يتبقى %Ln قطعة</numerusform>
                <numerusform>{part} — {certificate}: يتبقى %Ln قطعة</numerusform>
            </translation>
        </message>
        <message>
            <source>{part} — {certificate}: {n} left</source>
            <translation type="vanished">{part} — {certificate}: يتبقى {n}</translation>
        </message>
    </context>
    <context>
        <name>Deviations</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="169" />
            <source>%Ln deviations</source>
            <translation>
                <numerusform>%Ln استثناء</numerusform>
                <numerusform>استثناء واحد</numerusform>
                <numerusform>استثناءان</numerusform>
                <numerusform>%Ln استثناءات</numerusform>
                <numerusform>%Ln استثناءً</numerusform>
                <numerusform>%Ln استثناء</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/deviations.py" line="31" />
            <source>Approved, valid</source>
            <translation>معتمد، صالح</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="147" />
            <source>Approve…</source>
            <translation>اعتماد…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/deviations.py" line="30" />
            <source>Awaiting the customer</source>
            <translation>في انتظار الزبون</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/deviations.py" line="33" />
            <source>Changed since its approval</source>
            <translation>عُدّل بعد اعتماده</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="105" />
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="74" />
            <source>Characteristics</source>
            <translation>الخصائص</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="184" />
            <source>Choose a deviation first.</source>
            <translation>اختر استثناءً أولاً.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="158" />
            <source>Choose a part revision.</source>
            <translation>اختر مراجعة قطعة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="257" />
            <source>Comment</source>
            <translation>تعليق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="81" />
            <source>Customer's decision</source>
            <translation>قرار الزبون</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="108" />
            <source>Customer's number (empty: the next DEV number)</source>
            <translation>رقم الزبون (فارغ: رقم DEV التالي)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="70" />
            <source>Deviation</source>
            <translation>استثناء</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="246" />
            <source>Deviation {number} approved</source>
            <translation>اعتُمد الاستثناء {number}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="247" />
            <source>Deviation {number} rejected</source>
            <translation>رُفض الاستثناء {number}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="205" />
            <source>Deviation {number}: {status}.</source>
            <translation>الاستثناء {number}: {status}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="239" />
            <source>Electronic signature — approve a deviation</source>
            <translation>توقيع إلكتروني — اعتماد استثناء</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="241" />
            <source>Electronic signature — reject a deviation</source>
            <translation>توقيع إلكتروني — رفض استثناء</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/deviations.py" line="34" />
            <source>Expired</source>
            <translation>منتهي الصلاحية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="113" />
            <source>Limited by an expiry date</source>
            <translation>محدود بتاريخ انتهاء</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="77" />
            <source>Limited to</source>
            <translation>محدود بـ</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="72" />
            <source>Part</source>
            <translation>القطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="104" />
            <source>Part revision</source>
            <translation>مراجعة القطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="248" />
            <source>Part {part} {revision}, characteristic(s) {numbers}</source>
            <translation>القطعة {part} {revision}، الخاصية (الخصائص) {numbers}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="150" />
            <source>Parts shipped under the deviation</source>
            <translation>القطع المسلَّمة بموجب الاستثناء</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="258" />
            <source>Password</source>
            <translation>كلمة المرور</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="107" />
            <source>Quantity (0: none)</source>
            <translation>الكمية (0: بلا حد)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/deviations.py" line="35" />
            <source>Quantity used up</source>
            <translation>الكمية مستنفدة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="256" />
            <source>Reason</source>
            <translation>السبب</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="149" />
            <source>Record parts shipped</source>
            <translation>تسجيل القطع المسلَّمة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/deviations.py" line="32" />
            <source>Rejected</source>
            <translation>مرفوض</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="148" />
            <source>Reject…</source>
            <translation>رفض…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="114" />
            <source>Request</source>
            <translation>الطلب</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="103" />
            <source>Request a deviation</source>
            <translation>طلب استثناء</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="146" />
            <source>Request a deviation…</source>
            <translation>طلب استثناء…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="104" />
            <source>Search parts</source>
            <translation>البحث في القطع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="259" />
            <source>Sign</source>
            <translation>توقيع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="272" />
            <source>Signing…</source>
            <translation>جارٍ التوقيع…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="78" />
            <source>Status</source>
            <translation>الحالة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="107" />
            <source>Valid until</source>
            <translation>صالح حتى</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="106" />
            <source>What it allows, how the product is contained</source>
            <translation>ما يسمح به وكيف يُحصر المنتج</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="242" />
            <source>Your signature is recorded with your name, this meaning, the time and the exact revision of the request. Type your password to sign.</source>
            <translation>يُسجَّل توقيعك مع اسمك وهذا المعنى والوقت والمراجعة الدقيقة للطلب. اكتب كلمة المرور للتوقيع.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="252" />
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="51" />
            <source>until {date}</source>
            <translation>حتى {date}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="254" />
            <source>{limit} parts</source>
            <translation>{limit} قطعة</translation>
        </message>
        <message>
            <source>{n} deviation(s)</source>
            <translation type="vanished">{n} استثناء</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="53" />
            <source>{used} of {limit} parts</source>
            <translation>{used} من {limit} قطعة</translation>
        </message>
    </context>
    <context>
        <name>EnrolDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="315" />
            <source>Ask the other site's administrator for their key file and, separately, by phone or on paper, for its fingerprint. Type the fingerprint you were told: the key is enrolled only if they match.</source>
            <translation>اطلب من مسؤول الموقع الآخر ملف مفتاحه، واطلب بصمته بشكل منفصل بالهاتف أو على الورق. اكتب البصمة التي أُبلغت بها: لا يُسجَّل المفتاح إلا إذا تطابقتا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="320" />
            <source>Choose…</source>
            <translation>اختيار…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="313" />
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="346" />
            <source>Enrol a site</source>
            <translation>تسجيل موقع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="319" />
            <source>Fingerprint</source>
            <translation>البصمة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="322" />
            <source>It may write here:</source>
            <translation>يُسمح لهذا الموقع بالكتابة هنا:</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="318" />
            <source>Key file</source>
            <translation>ملف المفتاح</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="347" />
            <source>Site key files (*.partdesk-key *.json)</source>
            <translation>ملفات مفاتيح المواقع (*.partdesk-key *.json)</translation>
        </message>
    </context>
    <context>
        <name>Errors</name>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="281" />
            <source>"{text}" is not a K-field (K and four digits, such as K2110/1).</source>
            <translation>«{text}» ليس حقل K (الحرف K متبوعًا بأربعة أرقام، مثل K2110/1).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="59" />
            <source>'Restore the newest backup' brings back the newest verified backup, {backup}</source>
            <translation>يعيد زر «استعادة أحدث نسخة احتياطية» أحدث نسخة احتياطية تم التحقق منها، {backup}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="56" />
            <source>'partdesk restore --latest' brings back the newest verified backup, {backup}</source>
            <translation>يعيد الأمر ‎'partdesk restore --latest'‎ أحدث نسخة احتياطية تم التحقق منها، {backup}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="128" />
            <location filename="../../desktop_app/services/parts.py" line="230" />
            <source>'{value}' is not a date (YYYY-MM-DD).</source>
            <translation>«{value}» ليس تاريخًا (YYYY-MM-DD).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="113" />
            <source>'{value}' is not a kind of set; use set, subset or accessory.</source>
            <translation>«{value}» ليس نوع مجموعة؛ استخدم set أو subset أو accessory.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="82" />
            <source>'{value}' is not a period; write 2027, 2027-Q1 or 2027-03.</source>
            <translation>«{value}» ليست فترة؛ اكتب 2027 أو 2027-Q1 أو 2027-03.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="234" />
            <location filename="../../desktop_app/domain/roadmap.py" line="237" />
            <source>'{value}' is not a step status.</source>
            <translation>«{value}» ليست حالة مرحلة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="154" />
            <source>'{value}' is not yes or no.</source>
            <translation>«{value}» ليست نعم أو لا.</translation>
        </message>
        <message>
            <source>'{value}'{where} is not a kind of set; use set, subset or accessory.</source>
            <translation type="vanished">«{value}»{where} ليس نوع مجموعة؛ استخدم set أو subset أو accessory.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="92" />
            <source>A 3.2 certificate (certificat de réception 3.2) is also validated by the purchaser's authorised representative or the inspector designated by official regulations: name them.</source>
            <translation>شهادة 3.2 (شهادة استلام 3.2) يصادق عليها أيضاً الممثل المعتمد للمشتري أو المفتش المعيَّن بموجب التنظيم الرسمي: اذكر اسمه.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification.py" line="337" />
            <source>A PPAP level is 1 to 5.</source>
            <translation>مستوى PPAP من 1 إلى 5.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="185" />
            <source>A characteristic needs a lower limit, an upper limit or both.</source>
            <translation>تحتاج الخاصية إلى حد أدنى أو حد أعلى أو كليهما.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="165" />
            <source>A characteristic needs a number of 1 to 20 characters (the balloon).</source>
            <translation>تحتاج الخاصية إلى رقم من 1 إلى 20 حرفًا (الفقاعة).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="111" />
            <source>A component needs a name.</source>
            <translation>يحتاج المكوّن إلى اسم.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="230" />
            <source>A correction needs a reason.</source>
            <translation>يحتاج التصحيح إلى سبب.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="297" />
            <source>A correction of report {number} must be for the same part.</source>
            <translation>يجب أن يخص تصحيح التقرير {number} القطعة نفسها.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification.py" line="213" />
            <source>A customer choice is S (submit) or R (retain) for a known element; {element} is not.</source>
            <translation>اختيار العميل هو S (تقديم) أو R (احتفاظ) لعنصر معروف؛ و{element} ليس كذلك.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deliveries.py" line="73" />
            <source>A delivery is a whole number of pieces, 1 or more, not '{value}'.</source>
            <translation>التسليم عدد صحيح من القطع، 1 أو أكثر، وليس «{value}».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deliveries.py" line="79" />
            <source>A delivery on {day} is in the future; record it once shipped.</source>
            <translation>تسليم بتاريخ {day} في المستقبل؛ سجّله بعد الشحن.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="195" />
            <source>A deviation is limited by an expiry date, a quantity or both.</source>
            <translation>الاستثناء محدود بتاريخ انتهاء أو بكمية أو بكليهما.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="187" />
            <source>A deviation names at least one characteristic it allows.</source>
            <translation>يذكر الاستثناء خاصية واحدة على الأقل يسمح بها.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="191" />
            <source>A deviation says what it allows and how the product is contained.</source>
            <translation>يذكر الاستثناء ما يسمح به وكيف يُحصر المنتج.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="222" />
            <source>A family code uses letters, digits and underscores only (at most 40).</source>
            <translation>يستخدم رمز العائلة الحروف والأرقام والشرطات السفلية فقط (40 على الأكثر).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/gauges.py" line="75" />
            <source>A gauge needs an identifier of 1 to 40 characters.</source>
            <translation>تحتاج أداة القياس إلى معرّف من 1 إلى 40 حرفًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="105" />
            <source>A join code is valid for 1 to {most} hours.</source>
            <translation>رمز الانضمام صالح من ساعة واحدة إلى {most} ساعة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/revisions.py" line="76" />
            <source>A key at {path} is not text.</source>
            <translation>المفتاح في {path} ليس نصًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="171" />
            <source>A measurement system study needs at least {min} operators; the readings name {count}.</source>
            <translation>تحتاج دراسة نظام القياس إلى {min} مشغّلين على الأقل؛ والقراءات تذكر {count}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="176" />
            <source>A measurement system study needs at least {min} parts; the readings name {count}.</source>
            <translation>تحتاج دراسة نظام القياس إلى {min} قطع على الأقل؛ والقراءات تذكر {count}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="182" />
            <source>A measurement system study needs at least {min} trials by every operator on every part; the readings hold {count}.</source>
            <translation>تحتاج دراسة نظام القياس إلى {min} محاولات على الأقل من كل مشغّل على كل قطعة؛ والقراءات تحتوي {count}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/conflicts.py" line="126" />
            <location filename="../../desktop_app/storage/revisions.py" line="343" />
            <source>A merge needs a reason.</source>
            <translation>يحتاج الدمج إلى سبب.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="68" />
            <source>A milestone falls 1 to 30 years after approval, not '{value}'.</source>
            <translation>يقع المعلم بعد 1 إلى 30 سنة من الاعتماد، لا «{value}».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts.py" line="134" />
            <source>A new drawing revision needs a revision other than {revision}.</source>
            <translation>تحتاج مراجعة الرسم الجديدة إلى مؤشر غير {revision}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="380" />
            <source>A part cannot go from {old} to {new}.</source>
            <translation>لا يمكن للقطعة الانتقال من {old} إلى {new}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/integration.py" line="252" />
            <source>A part's share of its set must be above 0 %.</source>
            <translation>يجب أن تكون حصة القطعة من مجموعتها أكبر من 0 %.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="153" />
            <source>A password has at least {n} characters.</source>
            <translation>تتكون كلمة المرور من {n} أحرف على الأقل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="159" />
            <source>A password must differ from the user name.</source>
            <translation>يجب أن تختلف كلمة المرور عن اسم المستخدم.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/people.py" line="305" />
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="42" />
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="29" />
            <source>A person needs a full name.</source>
            <translation>يحتاج الشخص إلى اسم كامل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="62" />
            <source>A plant shares one PostgreSQL database: give its address with --database-url postgresql+psycopg://USER:PASSWORD@SERVER/DATABASE.</source>
            <translation>يتشارك المصنع قاعدة بيانات PostgreSQL واحدة: أعطِ عنوانها بـ --database-url postgresql+psycopg://USER:PASSWORD@SERVER/DATABASE.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="150" />
            <source>A reading of trial {trial} names no operator or no part; every reading names both.</source>
            <translation>قراءة في المحاولة {trial} لا تذكر مشغّلًا أو قطعة؛ كل قراءة تذكر الاثنين.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/roadmap_report.py" line="79" />
            <source>A report is written as .xlsx or .pdf, not {suffix}.</source>
            <translation>يُكتب التقرير بصيغة ‎.xlsx أو ‎.pdf، لا {suffix}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/retention.py" line="139" />
            <source>A retention period is 1 to {max} years after the end of production.</source>
            <translation>مدة الحفظ من 1 إلى {max} سنة بعد نهاية الإنتاج.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/revisions.py" line="253" />
            <source>A revision is malformed ({detail}).</source>
            <translation>مراجعة مشوّهة ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="161" />
            <source>A roadmap step needs a code.</source>
            <translation>تحتاج مرحلة خارطة الطريق إلى رمز.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="147" />
            <source>A set needs a code.</source>
            <translation>تحتاج المجموعة إلى رمز.</translation>
        </message>
        <message>
            <source>A set needs a code{where}.</source>
            <translation type="vanished">تحتاج المجموعة إلى رمز{where}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="131" />
            <source>A signed batch in the package is malformed (line {line}: {detail}).</source>
            <translation>إحدى الدفعات الموقَّعة في الحزمة مشوّهة (السطر {line}: {detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="181" />
            <source>A site code is 2 to 8 letters or digits, such as MSR.</source>
            <translation>رمز الموقع من 2 إلى 8 حروف أو أرقام، مثل MSR.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/site.py" line="82" />
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="41" />
            <source>A site needs a name.</source>
            <translation>يحتاج الموقع إلى اسم.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="240" />
            <source>A status set by hand on step {code} needs a reason; without one the status is computed from the integration rate.</source>
            <translation>الحالة المحدّدة يدوياً للمرحلة {code} تحتاج إلى سبب؛ بدونه تُحسب الحالة من نسبة الإدماج.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa.py" line="219" />
            <location filename="../../desktop_app/services/msa_sheets.py" line="93" />
            <source>A study holds at most {limit} readings; the sheet has {count}.</source>
            <translation>تحتوي الدراسة على {limit} قراءة على الأكثر؛ والورقة فيها {count}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa.py" line="216" />
            <source>A study needs its readings.</source>
            <translation>تحتاج الدراسة إلى قراءاتها.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="331" />
            <source>A subgroup size is between 1 and 10.</source>
            <translation>حجم المجموعة الفرعية بين 1 و10.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification.py" line="280" />
            <source>A submission that is {state} cannot be edited.</source>
            <translation>لا يمكن تعديل ملف مقدَّم حالته {state}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="138" />
            <source>A submission that is {state} cannot be {action}.</source>
            <translation>لا يمكن {action} ملف مقدَّم حالته {state}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="137" />
            <source>A user name is 2 to 32 letters, digits, dots, dashes or underscores.</source>
            <translation>اسم المستخدم من 2 إلى 32 حرفًا أو رقمًا أو نقطة أو شرطة أو شرطة سفلية.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="81" />
            <source>A {type} ({french}) is a specific inspection of the delivered material: it names the heat number.</source>
            <translation>{type} ({french}) فحص خاص للمادة المسلَّمة: يذكر رقم الصبّة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="101" />
            <source>A {type} ({french}) is issued by the manufacturer without an inspection representative; record a 3.1 for a specific inspection.</source>
            <translation>{type} ({french}) يصدره المصنّع دون ممثل فحص؛ سجّل شهادة 3.1 للفحص الخاص.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="86" />
            <source>A {type} ({french}) is validated by the manufacturer's authorised inspection representative, independent of manufacturing: name them.</source>
            <translation>{type} ({french}) يصادق عليه ممثل الفحص المعتمد لدى المصنّع، المستقل عن التصنيع: اذكر اسمه.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="30" />
            <source>Access to {path} was denied (the file or its folder is read-only or belongs to another account), and nothing was changed.</source>
            <translation>رُفض الوصول إلى {path} (الملف أو مجلده للقراءة فقط أو يخص حسابًا آخر)، ولم يُغيَّر شيء.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="73" />
            <source>An EN 10204 inspection document is of type 2.1, 2.2, 3.1 or 3.2.</source>
            <translation>وثيقة الفحص EN 10204 من النوع 2.1 أو 2.2 أو 3.1 أو 3.2.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/laboratories.py" line="149" />
            <source>An ISO/IEC 17025 accreditation has an expiry date.</source>
            <translation>لاعتماد ISO/IEC 17025 تاريخ انتهاء.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa_sheets.py" line="100" />
            <source>An attribute agreement sheet needs a reference column: the right decision (OK or NG) for each part.</source>
            <translation>تحتاج ورقة دراسة توافق السمات إلى عمود مرجعي: القرار الصحيح (OK أو NG) لكل قطعة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="113" />
            <source>An interim approval is limited by an expiry date, a quantity or both.</source>
            <translation>الاعتماد المؤقت محدود بتاريخ انتهاء أو بكمية أو بكليهما.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="126" />
            <source>An interim approval needs the supplier's corrective action plan.</source>
            <translation>يحتاج الاعتماد المؤقت إلى خطة الإجراءات التصحيحية للمورّد.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="154" />
            <source>An operator or a part is named in at most {limit} characters.</source>
            <translation>يُسمّى المشغّل أو القطعة بـ {limit} حرفًا على الأكثر.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/backup.py" line="71" />
            <source>Backups of a server database are made by the server's own tools.</source>
            <translation>تُجرى النسخ الاحتياطية لقاعدة بيانات الخادم بأدوات الخادم نفسه.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="107" />
            <source>Cancelled; nothing was changed.</source>
            <translation>أُلغي؛ لم يتغير شيء.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certificates.py" line="69" />
            <source>Certificate {number} cannot be printed: its submission was edited at two sites and must be merged first.</source>
            <translation>لا يمكن طباعة الشهادة {number}: عُدّل ملفها المقدَّم في موقعين ويجب دمجه أولًا.</translation>
        </message>
        <message>
            <source>Certificate {number} cannot be printed: the submission was edited after it was signed and needs re-approval.</source>
            <translation type="vanished">لا يمكن طباعة الشهادة {number}: عُدّل الملف المقدَّم بعد توقيعه ويحتاج إلى اعتماد جديد.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certificates.py" line="75" />
            <source>Certificate {number} carries this site's code but was not issued here; it is not printed.</source>
            <translation>تحمل الشهادة {number} رمز هذا الموقع لكنها لم تُصدَر هنا؛ لذا لا تُطبع.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certificates.py" line="78" />
            <source>Certificate {number} is not printed: its record was not written by site {site}, whose number it carries.</source>
            <translation>لا تُطبع الشهادة {number}: سجلّها لم يكتبه الموقع {site} الذي تحمل رقمه.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certificates.py" line="81" />
            <source>Certificate {number} is not printed: its seal does not verify with the key of site {site} enrolled here.</source>
            <translation>لا تُطبع الشهادة {number}: لا يمكن التحقق من ختمها بمفتاح الموقع {site} المسجَّل هنا.</translation>
        </message>
        <message>
            <source>Certificate {number} is revoked; a revoked certificate is never printed.</source>
            <translation type="vanished">الشهادة {number} ملغاة؛ لا تُطبع الشهادة الملغاة أبدًا.</translation>
        </message>
        <message>
            <source>Certificate {number} was superseded by a later decision; print the current certificate instead.</source>
            <translation type="vanished">حلّ قرار لاحق محل الشهادة {number}؛ اطبع الشهادة السارية بدلًا منها.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/deviations.py" line="89" />
            <location filename="../../desktop_app/services/deviations.py" line="214" />
            <source>Characteristic {characteristic} is not a characteristic of this part revision.</source>
            <translation>الخاصية {characteristic} ليست من خصائص مراجعة القطعة هذه.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="214" />
            <source>Characteristic {number} ({description}) has no dimensional result in the linked evidence.</source>
            <translation>الخاصية {number} ({description}) ليس لها نتيجة بُعدية في الأدلة المرتبطة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="72" />
            <location filename="../../desktop_app/services/evidence.py" line="109" />
            <location filename="../../desktop_app/services/evidence.py" line="135" />
            <source>Characteristic {number} already exists on this part.</source>
            <translation>الخاصية {number} موجودة بالفعل في هذه القطعة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="322" />
            <source>Characteristic {number} appears twice in the report.</source>
            <translation>تظهر الخاصية {number} مرتين في التقرير.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="161" />
            <source>Characteristic {number} counts defects per part on this part, but the file counts nonconforming parts (K0021).</source>
            <translation>الخاصية {number} تُعدّ العيوب لكل قطعة في هذه القطعة، لكن الملف يعدّ القطع غير المطابقة (K0021).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="93" />
            <location filename="../../desktop_app/services/evidence.py" line="414" />
            <source>Characteristic {number} has no readings.</source>
            <translation>الخاصية {number} ليس لها قراءات.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence_import.py" line="327" />
            <source>Characteristic {number} in the file is not a characteristic of this part.</source>
            <translation>الخاصية {number} في الملف ليست من خصائص هذه القطعة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="77" />
            <source>Characteristic {number} is described twice in the file (K2001).</source>
            <translation>الخاصية {number} موصوفة مرتين في الملف (K2001).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="169" />
            <source>Characteristic {number} is judged by attribute on this part; the file gives {value}, not 0 (OK) or a number of nonconformities.</source>
            <translation>الخاصية {number} تُحكم وصفيًا في هذه القطعة؛ الملف يعطي {value}، وليس 0 (مطابق) أو عددًا من حالات عدم المطابقة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="153" />
            <source>Characteristic {number} is measured on this part, but the file judges it as an attribute (K2004 1).</source>
            <translation>الخاصية {number} تُقاس في هذه القطعة، لكن الملف يحكم عليها وصفيًا (K2004 1).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa.py" line="240" />
            <source>Characteristic {number} is measured with gauge {other}, not {gauge}.</source>
            <translation>تُقاس الخاصية {number} بأداة القياس {other}، لا بـ {gauge}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="169" />
            <source>Characteristic {number} needs a description.</source>
            <translation>تحتاج الخاصية {number} إلى وصف.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="410" />
            <source>Characteristic {number}, reading {row}: '{value}' is not a number.</source>
            <translation>الخاصية {number}، القراءة {row}: «{value}» ليس رقمًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="85" />
            <source>Characteristic {number}, sample {row}: '{value}' is neither OK nor NG.</source>
            <translation>الخاصية {number}، العيّنة {row}: «{value}» ليست مطابقة ولا غير مطابقة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="87" />
            <source>Characteristic {number}, sample {row}: '{value}' is not a number of defects (0, 1, 2 …).</source>
            <translation>الخاصية {number}، العيّنة {row}: «{value}» ليس عدداً للعيوب (0، 1، 2 …).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/tabular.py" line="60" />
            <source>Column {column} does not exist in this sheet.</source>
            <translation>العمود {column} غير موجود في هذه الورقة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="455" />
            <source>Column {column} of the header row (row {row}) of {name} has no name; give every column a name.</source>
            <translation>العمود {column} من صف العناوين (الصف {row}) في {name} بلا اسم؛ سمِّ كل عمود.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="267" />
            <source>Designations exist in {languages}, not in {code}.</source>
            <translation>التسميات متوفرة بـ {languages}، لا بـ {code}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="221" />
            <source>Deviation number {number} is already taken.</source>
            <translation>رقم الاستثناء {number} مستعمل من قبل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="130" />
            <source>Each regulatory rule says the text it comes from (or that it is an assumption).</source>
            <translation>تذكر كل قاعدة تنظيمية النص الذي تستند إليه (أو أنها افتراض).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="163" />
            <source>Element {number} ({name}) has no customer choice: at level 4 the customer says for every element whether to submit or retain it.</source>
            <translation>العنصر {number} ({name}) بلا اختيار من الزبون: في المستوى 4 يحدد الزبون لكل عنصر هل يُقدَّم أم يُحفظ.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="189" />
            <source>Element {number} ({name}) is required at this level: link evidence or mark it not applicable with a reason.</source>
            <translation>العنصر {number} ({name}) مطلوب في هذا المستوى: اربط دليلًا أو علّمه غير منطبق مع ذكر السبب.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="182" />
            <source>Element {number} ({name}) needs linked evidence at this level: the results measured on the samples cannot be marked not applicable.</source>
            <translation>العنصر {number} ({name}) يتطلب أدلة مرتبطة في هذا المستوى: لا يمكن وصف النتائج المقيسة على العيّنات بأنها غير منطبقة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="372" />
            <source>Every operator read every part the same in every trial: the gauge's resolution is too coarse for a gauge R&amp;R to see its repeatability.</source>
            <translation>قرأ كل مشغّل كل قطعة بالقيمة نفسها في كل محاولة: دقة أداة القياس أخشن من أن تُظهر دراسة R&amp;R قابليتها للتكرار.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="198" />
            <source>Evidence {evidence} linked to element {number} does not exist here.</source>
            <translation>الدليل {evidence} المرتبط بالعنصر {number} غير موجود هنا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="202" />
            <source>Evidence “{evidence}” linked to element {number} belongs to another part revision.</source>
            <translation>الدليل «{evidence}» المرتبط بالعنصر {number} يخص مراجعة قطعة أخرى.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/gauges.py" line="46" />
            <source>Gauge {code} is already in the register.</source>
            <translation>أداة القياس {code} موجودة بالفعل في السجل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="188" />
            <location filename="../../desktop_app/services/evidence.py" line="336" />
            <source>Gauge {code} is not in the gauges register.</source>
            <translation>أداة القياس {code} ليست في سجل أدوات القياس.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/gauges.py" line="78" />
            <source>Gauge {code} needs a type (e.g. micrometer).</source>
            <translation>تحتاج أداة القياس {code} إلى نوع (مثل الميكرومتر).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="258" />
            <source>Gauge {gauge} (characteristics {numbers}) has no measurement system analysis study recorded here: check that the evidence linked to element 8 covers it.</source>
            <translation>أداة القياس {gauge} (الخصائص {numbers}) ليس لها دراسة تحليل نظام قياس مسجّلة هنا: تحقّق من أن الأدلة المرتبطة بالعنصر 8 تغطيها.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="255" />
            <source>Gauge {gauge} (characteristics {numbers}) has no measurement system analysis study: record a gauge R&amp;R or an attribute agreement study of it.</source>
            <translation>أداة القياس {gauge} (الخصائص {numbers}) ليس لها دراسة تحليل نظام قياس: سجّل دراسة R&amp;R أو دراسة توافق السمات لها.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="274" />
            <source>Gauge {gauge} (characteristics {numbers}): its attribute agreement study of {date} is only marginally acceptable (effectiveness {effectiveness} %, miss rate {miss} %, false alarm rate {false_alarm} %, kappa {kappa}): acceptable only with the customer's agreement.</source>
            <translation>أداة القياس {gauge} (الخصائص {numbers}): دراسة توافق السمات الخاصة بها بتاريخ {date} مقبولة بشكل هامشي فقط (الفعالية {effectiveness} %، الإخفاق {miss} %، الإنذار الكاذب {false_alarm} %، كابا {kappa}): مقبولة فقط بموافقة الزبون.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="269" />
            <source>Gauge {gauge} (characteristics {numbers}): its attribute agreement study of {date} is unacceptable (effectiveness {effectiveness} %, miss rate {miss} %, false alarm rate {false_alarm} %, kappa {kappa}); improve the check and study it again.</source>
            <translation>أداة القياس {gauge} (الخصائص {numbers}): دراسة توافق السمات الخاصة بها بتاريخ {date} غير مقبولة (الفعالية {effectiveness} %، الإخفاق {miss} %، الإنذار الكاذب {false_alarm} %، كابا {kappa})؛ حسّن الفحص وأعد الدراسة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="265" />
            <source>Gauge {gauge} (characteristics {numbers}): its gauge R&amp;R of {date} has %GRR {grr} % of the total variation and {grr_tolerance} % of the tolerance, between 10 and 30 %: acceptable only with the customer's agreement.</source>
            <translation>أداة القياس {gauge} (الخصائص {numbers}): دراسة R&amp;R الخاصة بها بتاريخ {date} لها %GRR قدره {grr} % من التغير الكلي و{grr_tolerance} % من التفاوت، بين 10 و30 %: مقبولة فقط بموافقة الزبون.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="261" />
            <source>Gauge {gauge} (characteristics {numbers}): its gauge R&amp;R of {date} is unacceptable (%GRR {grr} % of the total variation, {grr_tolerance} % of the tolerance, ndc {ndc}); improve the measurement system and study it again.</source>
            <translation>أداة القياس {gauge} (الخصائص {numbers}): دراسة R&amp;R الخاصة بها بتاريخ {date} غير مقبولة (%GRR {grr} % من التغير الكلي، {grr_tolerance} % من التفاوت، ndc {ndc})؛ حسّن نظام القياس وأعد الدراسة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="243" />
            <source>Gauge {gauge} was out of calibration on {date} when “{evidence}” was measured; an impact assessment is needed.</source>
            <translation>كانت أداة القياس {gauge} خارج المعايرة في {date} عند قياس «{evidence}»؛ يلزم تقييم الأثر.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="269" />
            <source>Give a field choice as NAME=REV_ID, not {value}.</source>
            <translation>أعطِ اختيار الحقل بالشكل NAME=REV_ID، لا {value}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="481" />
            <source>K0021/{index} counts {bad} nonconforming parts in a subgroup of {size} (K0020).</source>
            <translation>K0021/{index} يعدّ {bad} قطعة غير مطابقة في مجموعة فرعية من {size} (K0020).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="446" />
            <source>K0100 says the file has {declared} characteristics, but it describes {found}.</source>
            <translation>يذكر K0100 أن الملف يحتوي على {declared} خاصية، لكنه يصف {found}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="83" />
            <source>Line {line}: {message}</source>
            <translation>السطر {line}: {message}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="97" />
            <source>Name a certificate PDF, or give the QR text with --payload.</source>
            <translation>سمِّ ملف PDF لشهادة، أو أعطِ نص رمز QR باستخدام ‎--payload.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/core.py" line="123" />
            <source>Name one backup file, or --latest for the newest.</source>
            <translation>حدّد ملف نسخة احتياطية واحدًا، أو ‎--latest‎ لأحدثها.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/retention.py" line="136" />
            <source>Name the customer whose retention period this is.</source>
            <translation>اذكر الزبون صاحب مدة الحفظ هذه.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/laboratories.py" line="146" />
            <source>Name the laboratory.</source>
            <translation>اذكر المخبر.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/recovery.py" line="52" />
            <source>No backup in {backups} verifies; nothing was restored.</source>
            <translation>لا توجد نسخة احتياطية في {backups} تجتاز التحقق؛ لم تتم استعادة أي شيء.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence_import.py" line="195" />
            <source>No column holds the characteristic {field}; map one by hand.</source>
            <translation>لا يحتوي أي عمود على الخاصية {field}؛ اربط عمودًا يدويًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence_import.py" line="284" />
            <source>No column is a characteristic of this part: name the columns after the characteristic numbers, or give a characteristic column and a value column.</source>
            <translation>لا يوجد عمود يمثل خاصية لهذه القطعة: سمِّ الأعمدة بأرقام الخصائص، أو حدّد عمودًا للخاصية وعمودًا للقيمة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_dto.py" line="22" />
            <source>No column of {name} holds the {label}; map one by hand.</source>
            <translation>لا يحتوي أي عمود في {name} على {label}؛ اربط عمودًا يدويًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="244" />
            <source>No new password: set {env} or run in a terminal.</source>
            <translation>لا توجد كلمة مرور جديدة: اضبط {env} أو شغّل في طرفية.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="228" />
            <source>No password: set PARTDESK_PASSWORD or run in a terminal.</source>
            <translation>لا توجد كلمة مرور: اضبط PARTDESK_PASSWORD أو شغّل في طرفية.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/header_detect.py" line="108" />
            <source>No row at the top of sheet {sheet} of {name} names the columns expected ({fields}); choose the header row.</source>
            <translation>لا يوجد في أعلى الورقة {sheet} من {name} صف يسمّي الأعمدة المتوقعة ({fields})؛ اختر صف العناوين.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/header_detect.py" line="110" />
            <source>No row at the top of {name} names the columns expected ({fields}); choose the header row.</source>
            <translation>لا يوجد في أعلى {name} صف يسمّي الأعمدة المتوقعة ({fields})؛ اختر صف العناوين.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/tabular.py" line="65" />
            <source>One column is mapped to two fields; map each column once.</source>
            <translation>عمود واحد مربوط بحقلين؛ اربط كل عمود مرة واحدة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="97" />
            <source>Only a 3.2 certificate carries a co-signature by the purchaser's representative.</source>
            <translation>شهادة 3.2 وحدها تحمل توقيعاً مشتركاً من ممثل المشتري.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="166" />
            <source>Operator {operator} read part {part} twice as trial {trial}.</source>
            <translation>قرأ المشغّل {operator} القطعة {part} مرتين على أنها المحاولة {trial}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="159" />
            <source>Operator {operator}, part {part}: trials are numbered from 1 to {limit}.</source>
            <translation>المشغّل {operator}، القطعة {part}: تُرقّم المحاولات من 1 إلى {limit}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="378" />
            <source>Package {sequence} of site {site} shows its audit log up to entry {seq}, but its earlier package {other} showed it up to entry {other_seq}: its log was cut.</source>
            <translation>تُظهر الحزمة {sequence} من الموقع {site} سجل تدقيقه حتى القيد {seq}، لكن حزمته السابقة {other} أظهرته حتى القيد {other_seq}: لقد بُتر سجله.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts.py" line="72" />
            <source>Part {number} revision {revision} is already registered.</source>
            <translation>القطعة {number} المراجعة {revision} مسجلة بالفعل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="364" />
            <source>Part {number} revision {revision} is released and locked against edits; create a new drawing revision instead.</source>
            <translation>القطعة {number} المراجعة {revision} مُصدَرة ومقفلة ضد التعديل؛ أنشئ مراجعة رسم جديدة بدلًا من ذلك.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/integration.py" line="269" />
            <source>Part {part} belongs to another vehicle model; it cannot realise the set {set} of {model}.</source>
            <translation>القطعة {part} تخص طراز مركبة آخر؛ لا يمكنها تحقيق المجموعة {set} من {model}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="142" />
            <source>Part {part} has no reference decision (OK or NG): an attribute agreement study compares every judgement with it.</source>
            <translation>القطعة {part} ليس لها قرار مرجعي (OK أو NG): تقارن دراسة توافق السمات كل حكم به.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/integration.py" line="278" />
            <source>Part {part} is already linked to the set {set}.</source>
            <translation>القطعة {part} مرتبطة بالفعل بالمجموعة {set}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/roadmap.py" line="126" />
            <source>Part {part} of the component {name} belongs to another vehicle model than {model}.</source>
            <translation>القطعة {part} من المكوّن {name} تابعة لطراز مركبة غير {model}.</translation>
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
            <translation>PartDesk مفتوح بالفعل على مجلد البيانات {folder}؛ أغلقه أولًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import.py" line="154" />
            <source>Parts were changed since {name} was checked; it is checked again.</source>
            <translation>عُدّلت قطع منذ فحص {name}؛ يُعاد فحصه.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/conflicts.py" line="133" />
            <source>Record {key} has no competing versions to merge.</source>
            <translation>السجل {key} ليست له نسخ متعارضة للدمج.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/revisions.py" line="706" />
            <source>Record {record_id} appears with two different types.</source>
            <translation>يظهر السجل {record_id} بنوعين مختلفين.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="303" />
            <source>Report {number} was already corrected by {newer}; correct {newer} instead.</source>
            <translation>صُحّح التقرير {number} بالفعل بواسطة {newer}؛ صحّح {newer} بدلًا منه.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/laboratories.py" line="184" />
            <source>Report {report} already has its EN 10204 inspection document; a correction is a new report that supersedes it.</source>
            <translation>للتقرير {report} وثيقة فحص EN 10204 من قبل؛ التصحيح تقرير جديد يحل محله.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="180" />
            <source>Report {report} applies {standard}, which is outside the ISO/IEC 17025 accreditation scope of {laboratory}.</source>
            <translation>يطبّق التقرير {report} المعيار {standard} الخارج عن نطاق اعتماد ISO/IEC 17025 للمخبر {laboratory}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="173" />
            <source>Report {report} was tested on {tested} by {laboratory}, whose ISO/IEC 17025 accreditation {accreditation} expired on {expired}.</source>
            <translation>اختُبر التقرير {report} في {tested} لدى {laboratory} الذي انتهى اعتماده ISO/IEC 17025 رقم {accreditation} في {expired}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="109" />
            <source>Revision on line {line} of the package is refused: {detail}</source>
            <translation>رُفضت المراجعة في السطر {line} من الحزمة: {detail}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="154" />
            <source>Revision {rev_id} ({kind} {record}) claims to come from site {site}, but no signature of that site covers it.</source>
            <translation>تدّعي المراجعة {rev_id} ({kind} {record}) أنها صادرة عن الموقع {site}، لكن لا يشملها أي توقيع لذلك الموقع.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/revisions.py" line="258" />
            <source>Revision {rev_id} does not match its content; it was altered.</source>
            <translation>المراجعة {rev_id} لا تطابق محتواها؛ لقد عُدّلت.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="172" />
            <source>Revision {rev_id} of site {site} names {person}, a person of another site, as its author or signer; the package was refused.</source>
            <translation>تذكر المراجعة {rev_id} من الموقع {site} الشخصَ {person}، وهو من موقع آخر، بصفته كاتبها أو موقّعها؛ رُفضت الحزمة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="114" />
            <source>Revision {rev_id} refers to file {sha} that the package does not carry.</source>
            <translation>تشير المراجعة {rev_id} إلى الملف {sha} الذي لا تحمله الحزمة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="339" />
            <source>Row {row} of sheet {sheet} of {name} is empty; choose the row that names the columns.</source>
            <translation>الصف {row} من الورقة {sheet} من {name} فارغ؛ اختر الصف الذي يسمّي الأعمدة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="450" />
            <source>Row {row} of {name} holds data, not column names: choose the row that names the columns.</source>
            <translation>يحتوي الصف {row} من {name} على بيانات وليس على أسماء أعمدة: اختر الصف الذي يسمّي الأعمدة.</translation>
        </message>
        <message>
            <source>Row {row} of {name} holds data, not column names: the first row must be a header row.</source>
            <translation type="vanished">الصف {row} في {name} يحتوي بيانات لا أسماء أعمدة: يجب أن يكون الصف الأول صف عناوين.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="341" />
            <source>Row {row} of {name} is empty; choose the row that names the columns.</source>
            <translation>الصف {row} من {name} فارغ؛ اختر الصف الذي يسمّي الأعمدة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="552" />
            <source>Row {row} of {name} is not valid CSV ({detail}).</source>
            <translation>الصف {row} في {name} ليس CSV صالحًا ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa_sheets.py" line="116" />
            <source>Row {row}: '{value}' is neither OK nor NG.</source>
            <translation>الصف {row}: «{value}» ليس OK ولا NG.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="127" />
            <source>Row {row}: '{value}' is not a date (YYYY-MM-DD).</source>
            <translation>الصف {row}: «{value}» ليس تاريخًا (YYYY-MM-DD).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence_import.py" line="350" />
            <source>Row {row}: '{value}' is not a judgement of characteristic {number} (OK / NG, or a number of defects).</source>
            <translation>الصف {row}: «{value}» ليس حكماً على الخاصية {number} (مطابق / غير مطابق، أو عدد العيوب).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="111" />
            <source>Row {row}: '{value}' is not a kind of set; use set, subset or accessory.</source>
            <translation>الصف {row}: «{value}» ليس نوع مجموعة؛ استخدم set أو subset أو accessory.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="146" />
            <source>Row {row}: a set needs a code.</source>
            <translation>الصف {row}: تحتاج المجموعة إلى رمز.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence_import.py" line="206" />
            <source>Row {row}: characteristic {number} already exists on this part.</source>
            <translation>الصف {row}: الخاصية {number} موجودة بالفعل في هذه القطعة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import.py" line="268" />
            <source>Row {row}: part {number} revision {revision} appears twice in the file (also row {other}).</source>
            <translation>الصف {row}: القطعة {number} المراجعة {revision} تظهر مرتين في الملف (أيضًا الصف {other}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts.py" line="75" />
            <source>Row {row}: part {number} revision {revision} is already registered.</source>
            <translation>الصف {row}: القطعة {number} المراجعة {revision} مسجلة بالفعل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="287" />
            <source>Row {row}: part {number} revision {revision} is released and locked; give the new values a new drawing revision.</source>
            <translation>الصف {row}: القطعة {number} المراجعة {revision} مُصدَرة ومقفلة؛ أعطِ القيم الجديدة مراجعة رسم جديدة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="282" />
            <source>Row {row}: part {number} revision {revision} was edited at two sites; merge it first.</source>
            <translation>الصف {row}: عُدّلت القطعة {number} المراجعة {revision} في موقعين؛ ادمجها أولًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa_sheets.py" line="128" />
            <source>Row {row}: part {part} has the reference {value} here and {other} above; a part has one reference decision.</source>
            <translation>الصف {row}: للقطعة {part} المرجع {value} هنا و{other} أعلاه؛ للقطعة قرار مرجعي واحد.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="88" />
            <source>Row {row}: the rate '{value}' is not a number.</source>
            <translation>الصف {row}: النسبة «{value}» ليست رقمًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="100" />
            <source>Row {row}: the rate {value} is above 100 %.</source>
            <translation>الصف {row}: النسبة {value} أعلى من 100 %.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="93" />
            <source>Row {row}: the rate {value} is negative; a rate is between 0 and 100 %.</source>
            <translation>الصف {row}: النسبة {value} سالبة؛ النسبة بين 0 و100 %.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa_sheets.py" line="124" />
            <source>Row {row}: the reference '{value}' is neither OK nor NG.</source>
            <translation>الصف {row}: المرجع «{value}» ليس OK ولا NG.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="150" />
            <source>Row {row}: the set {code} needs a name.</source>
            <translation>الصف {row}: تحتاج المجموعة {code} إلى اسم.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa_sheets.py" line="61" />
            <source>Row {row}: the trial '{value}' is not a whole number from 1 to 100.</source>
            <translation>الصف {row}: المحاولة «{value}» ليست عددًا صحيحًا من 1 إلى 100.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="220" />
            <location filename="../../desktop_app/domain/evidence.py" line="224" />
            <location filename="../../desktop_app/services/evidence_import.py" line="164" />
            <source>Row {row}: {message}</source>
            <translation>الصف {row}: {message}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import.py" line="144" />
            <location filename="../../desktop_app/services/parts_import.py" line="251" />
            <location filename="../../desktop_app/services/parts_import_rows.py" line="180" />
            <location filename="../../desktop_app/services/parts_import_rows.py" line="294" />
            <source>Row {row}: {reason}</source>
            <translation>الصف {row}: {reason}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="154" />
            <source>Row {row}: {what} '{value}' is not a number.</source>
            <translation>الصف {row}: {what} «{value}» ليس رقمًا.</translation>
        </message>
        <message>
            <source>Say who acts: --user NAME before the command, or PARTDESK_USER.</source>
            <translation type="vanished">حدّد من يتصرف: ‎--user NAME قبل الأمر، أو PARTDESK_USER.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="149" />
            <source>Say why the characteristic is removed.</source>
            <translation>اذكر سبب إزالة الخاصية.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/attachments.py" line="149" />
            <source>Say why the file is withdrawn.</source>
            <translation>اذكر سبب سحب الملف.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="218" />
            <source>Sign in first: --user NAME before the command (or PARTDESK_USER), and the password in PARTDESK_PASSWORD or at the prompt.</source>
            <translation>سجّل الدخول أولًا: ‎--user NAME قبل الأمر (أو PARTDESK_USER)، وكلمة المرور في PARTDESK_PASSWORD أو عند الطلب.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/sync.py" line="151" />
            <source>Site {code} is not known here; enrol its key first, or export everything.</source>
            <translation>الموقع {code} غير معروف هنا؛ سجّل مفتاحه أولًا، أو صدّر كل شيء.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="178" />
            <source>Site {site} claims to have created {kind} {record}, which already exists; the package was refused.</source>
            <translation>يدّعي الموقع {site} أنه أنشأ {kind} {record}، وهو موجود بالفعل؛ رُفضت الحزمة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="160" />
            <source>Site {site} may not write {kind} records here ({kind} {record}); the package was refused.</source>
            <translation>لا يُسمح للموقع {site} بكتابة سجلات {kind} هنا ({kind} {record})؛ رُفضت الحزمة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="370" />
            <source>Site {site} sent a head of this site's audit log that cannot be read.</source>
            <translation>أرسل الموقع {site} رأسًا لسجل تدقيق هذا الموقع تتعذّر قراءته.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="383" />
            <source>Site {site} shows entry {seq} of its audit log with another hash than a package received before: its log was rewritten.</source>
            <translation>يُظهر الموقع {site} القيد {seq} من سجل تدقيقه ببصمة تختلف عن بصمته في حزمة مستلَمة سابقًا: لقد أُعيدت كتابة سجله.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="373" />
            <source>Site {site} shows its audit log up to entry {seq}, but a package received before showed it up to entry {earlier}: its log was cut.</source>
            <translation>يُظهر الموقع {site} سجل تدقيقه حتى القيد {seq}، لكن حزمة مستلَمة سابقًا أظهرته حتى القيد {earlier}: لقد بُتر سجله.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="166" />
            <source>Site {site} tried to change {kind} {record}, which only its own site may change; the package was refused.</source>
            <translation>حاول الموقع {site} تعديل {kind} {record}، الذي لا يجوز تعديله إلا من قِبل موقعه الخاص؛ رُفضت الحزمة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/base.py" line="61" />
            <source>Something went wrong ({kind}); nothing was changed.</source>
            <translation>حدث خطأ ما ({kind})؛ لم يتغير شيء.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="238" />
            <source>Special characteristic {number} ({cls}) has Ppk {ppk}, below 1.33; improve the process or reference a deviation.</source>
            <translation>الخاصية الخاصة {number} ({cls}) قيمة Ppk لها {ppk}، أقل من 1.33؛ حسّن العملية أو أشر إلى انحراف معتمد.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="311" />
            <source>Special characteristic {number} ({cls}) has Ppk {ppk}, between 1.33 and 1.67: acceptable only with the customer's agreement.</source>
            <translation>الخاصية الخاصة {number} ({cls}) لها Ppk قدره {ppk}، بين 1.33 و1.67: مقبول فقط بموافقة الزبون.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="322" />
            <source>Special characteristic {number} ({cls}) has a one-sided limit: its acceptance criteria are agreed with the customer.</source>
            <translation>الخاصية الخاصة {number} ({cls}) لها حد من جهة واحدة: تُتفق معايير قبولها مع الزبون.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="233" />
            <source>Special characteristic {number} ({cls}) has no Ppk; record a capability study or reference a deviation.</source>
            <translation>الخاصية الخاصة {number} ({cls}) ليس لها Ppk؛ سجّل دراسة قدرة أو أشر إلى انحراف معتمد.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="121" />
            <source>Special characteristic {number} ({cls}) relies on deviation {deviation}, which has expired.</source>
            <translation>الخاصية الخاصة {number} ({cls}) تستند إلى الاستثناء {deviation} الذي انتهت صلاحيته.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="130" />
            <source>Special characteristic {number} ({cls}) relies on deviation {deviation}, which is not valid.</source>
            <translation>الخاصية الخاصة {number} ({cls}) تستند إلى الاستثناء {deviation} وهو غير صالح.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="115" />
            <source>Special characteristic {number} ({cls}) relies on deviation {deviation}, which the customer has not approved yet.</source>
            <translation>الخاصية الخاصة {number} ({cls}) تستند إلى الاستثناء {deviation} الذي لم يعتمده الزبون بعد.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="118" />
            <source>Special characteristic {number} ({cls}) relies on deviation {deviation}, which the customer rejected.</source>
            <translation>الخاصية الخاصة {number} ({cls}) تستند إلى الاستثناء {deviation} الذي رفضه الزبون.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="127" />
            <source>Special characteristic {number} ({cls}) relies on deviation {deviation}, which was changed after the customer approved it.</source>
            <translation>الخاصية الخاصة {number} ({cls}) تستند إلى الاستثناء {deviation} الذي عُدّل بعد اعتماد الزبون له.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="124" />
            <source>Special characteristic {number} ({cls}) relies on deviation {deviation}, whose quantity is used up.</source>
            <translation>الخاصية الخاصة {number} ({cls}) تستند إلى الاستثناء {deviation} الذي استُنفدت كميته.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="314" />
            <source>Special characteristic {number} ({cls}): its Ppk comes from {n} readings only and is indicative below 30; a preliminary study wants 100 readings from 25 subgroups, or the customer's agreement.</source>
            <translation>الخاصية الخاصة {number} ({cls}): قيمة Ppk مأخوذة من {n} قراءة فقط وهي استرشادية تحت 30؛ الدراسة الأولية تتطلب 100 قراءة من 25 مجموعة فرعية، أو موافقة الزبون.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="318" />
            <source>Special characteristic {number} ({cls}): its capability study has {n} readings in {subgroups} subgroups, fewer than the 100 readings from 25 subgroups of a preliminary study; the customer must agree.</source>
            <translation>الخاصية الخاصة {number} ({cls}): دراسة القدرة فيها {n} قراءة في {subgroups} مجموعة فرعية، أقل من 100 قراءة من 25 مجموعة فرعية للدراسة الأولية؛ يجب أن يوافق الزبون.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="325" />
            <source>Special characteristic {number} ({cls}): its readings do not look normally distributed (Anderson-Darling A² {a2}); its acceptance criteria are agreed with the customer.</source>
            <translation>الخاصية الخاصة {number} ({cls}): لا تبدو قراءاتها موزعة توزيعاً طبيعياً (Anderson-Darling A² {a2})؛ تُتفق معايير قبولها مع الزبون.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="329" />
            <source>Special characteristic {number} ({cls}): the process is not stable (points beyond the control limits of the {chart} chart: {count}); remove the special causes or agree with the customer.</source>
            <translation>الخاصية الخاصة {number} ({cls}): العملية غير مستقرة (النقاط خارج حدود المراقبة لخريطة {chart}: {count})؛ أزل الأسباب الخاصة أو اتفق مع الزبون.</translation>
        </message>
        <message>
            <source>Special characteristic {number} ({cls}): the process is not stable ({count} point(s) beyond the control limits of the {chart} chart); remove the special causes or agree with the customer.</source>
            <translation type="vanished">الخاصية الخاصة {number} ({cls}): العملية غير مستقرة ({count} نقطة خارج حدود المراقبة لخريطة {chart})؛ أزل الأسباب الخاصة أو اتفق مع الزبون.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="116" />
            <source>The APQP phase of {name} is 1 to 5.</source>
            <translation>مرحلة APQP لـ {name} من 1 إلى 5.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="64" />
            <source>The account {user} is disabled; ask an administrator.</source>
            <translation>الحساب {user} معطّل؛ اطلب المساعدة من مسؤول.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/backup.py" line="86" />
            <location filename="../../desktop_app/storage/database.py" line="221" />
            <source>The backup copy failed its integrity check ({detail}).</source>
            <translation>فشلت النسخة الاحتياطية في فحص السلامة ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="305" />
            <source>The calibration due date {due} is before the calibration date {done}.</source>
            <translation>تاريخ استحقاق المعايرة {due} يسبق تاريخ المعايرة {done}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="56" />
            <source>The characteristic type '{value}' is not one of: variable, attribute (OK/NG), defects.</source>
            <translation>نوع الخاصية «{value}» ليس من: متغيرة، وصفية (مطابق/غير مطابق)، عيوب.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="67" />
            <source>The data folder {folder} already holds a site of its own; give this PC's plant folder with --data-dir (a new, empty folder).</source>
            <translation>مجلد البيانات {folder} يحوي موقعًا خاصًا به؛ حدّد مجلد المصنع لهذا الحاسوب بـ --data-dir (مجلد جديد فارغ).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/site.py" line="72" />
            <source>The data folder {folder} already holds a site's key; a new site is set up only in a new, empty folder.</source>
            <translation>يحتوي مجلد البيانات {folder} بالفعل على مفتاح موقع؛ لا يُعدّ موقع جديد إلا في مجلد جديد فارغ.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/paths.py" line="57" />
            <source>The data folder {folder} cannot be written ({detail}); choose another.</source>
            <translation>لا يمكن الكتابة في مجلد البيانات {folder} ({detail})؛ اختر مجلدًا آخر.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="36" />
            <source>The data folder {folder} holds a site's key, files or backups but no database, and nothing was changed in it; {remedy}.</source>
            <translation>يحتوي مجلد البيانات {folder} على مفتاح موقع أو ملفات أو نسخ احتياطية لكن دون قاعدة بيانات، ولم يُغيَّر فيه شيء؛ {remedy}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/folder_warnings.py" line="29" />
            <source>The data folder {folder} is inside a cloud-synced folder ({detail}): the sync program copies the database while it is written and can bring back an old or half-written copy. Move the data folder out of the synced folder.</source>
            <translation>مجلد البيانات {folder} موجود داخل مجلد متزامن مع السحابة ({detail}): برنامج المزامنة ينسخ قاعدة البيانات أثناء الكتابة فيها وقد يعيد نسخة قديمة أو مكتوبة جزئياً. انقل مجلد البيانات خارج المجلد المتزامن.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="187" />
            <source>The data folder {folder} is not set up; run 'partdesk init' first.</source>
            <translation>مجلد البيانات {folder} غير مُعدّ؛ شغّل ‎'partdesk init'‎ أولًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/folder_warnings.py" line="23" />
            <source>The data folder {folder} is on a network drive ({detail}): the database cannot be locked safely over the network and a dropped connection can damage it. Keep the data folder on this computer's own disk; PCs share a plant's data through PostgreSQL.</source>
            <translation>مجلد البيانات {folder} موجود على محرك شبكة ({detail}): لا يمكن قفل قاعدة البيانات بأمان عبر الشبكة وقد يتلفها انقطاع الاتصال. احتفظ بمجلد البيانات على القرص الخاص بهذا الحاسوب؛ تتشارك حواسيب المصنع بياناتها عبر PostgreSQL.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/folder_warnings.py" line="17" />
            <source>The data folder {folder} is on a removable drive ({detail}): if the drive is pulled out while PartDesk writes, the last work can be lost or the database damaged. Keep the data folder on this computer's own disk and carry sync packages on the drive instead.</source>
            <translation>مجلد البيانات {folder} موجود على محرك قابل للإزالة ({detail}): إذا نُزع المحرك أثناء كتابة PartDesk فقد يضيع آخر عمل أو تتلف قاعدة البيانات. احتفظ بمجلد البيانات على القرص الخاص بهذا الحاسوب وانقل حزم المزامنة على المحرك بدلاً من ذلك.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="51" />
            <source>The database file {path} is damaged or is not a PartDesk database ({detail}), and nothing was changed in it; {remedy}.</source>
            <translation>ملف قاعدة البيانات {path} تالف أو ليس قاعدة بيانات PartDesk ‏({detail})، ولم يُغيَّر فيه شيء؛ {remedy}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/database.py" line="29" />
            <location filename="../../desktop_app/storage/site_probe.py" line="19" />
            <source>The database file {path} is damaged or is not a PartDesk database ({detail}).</source>
            <translation>ملف قاعدة البيانات {path} تالف أو ليس قاعدة بيانات PartDesk ({detail}).</translation>
        </message>
        <message>
            <source>The database is busy in another program; try again in a moment.</source>
            <translation type="vanished">قاعدة البيانات مشغولة في برنامج آخر؛ حاول مجددًا بعد قليل.</translation>
        </message>
        <message>
            <source>The database is read-only; nothing was written.</source>
            <translation type="vanished">قاعدة البيانات للقراءة فقط؛ لم يُكتب شيء.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="141" />
            <source>The database server of {path} cannot be reached ({detail}), and nothing was changed; check that this PC is on the plant's network and the server is running, then try again.</source>
            <translation>تعذّر الوصول إلى خادم قاعدة البيانات {path} ({detail})، ولم يُغيَّر شيء؛ تحقّق من أن هذا الحاسوب على شبكة المصنع وأن الخادم يعمل، ثم أعد المحاولة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="146" />
            <source>The database server refused {path} ({detail}); check the user name, password and database name of the address with plant IT.</source>
            <translation>رفض خادم قاعدة البيانات {path} ({detail})؛ تحقّق مع قسم المعلوماتية في المصنع من اسم المستخدم وكلمة المرور واسم قاعدة البيانات في العنوان.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="46" />
            <source>The database {path} holds no site although its folder holds a site's key, files or backups, and nothing was changed in it; {remedy}.</source>
            <translation>لا تحتوي قاعدة البيانات {path} على أي موقع مع أن مجلدها يحتوي على مفتاح موقع أو ملفات أو نسخ احتياطية، ولم يُغيَّر فيها شيء؛ {remedy}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="40" />
            <source>The database {path} is busy in another program, and nothing was changed; try again in a moment.</source>
            <translation>قاعدة البيانات {path} مشغولة في برنامج آخر، ولم يُغيَّر شيء؛ أعد المحاولة بعد لحظة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="41" />
            <source>The database {path} is empty although its folder holds a site's key, files or backups, and nothing was changed in it; {remedy}.</source>
            <translation>قاعدة البيانات {path} فارغة مع أن مجلدها يحتوي على مفتاح موقع أو ملفات أو نسخ احتياطية، ولم يُغيَّر فيها شيء؛ {remedy}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="72" />
            <source>The database {where} already holds the plant {code}; on this PC run 'partdesk plant join --database-url URL --code CODE' with a join code from an administrator.</source>
            <translation>قاعدة البيانات {where} تحوي المصنع {code} مسبقًا؛ على هذا الحاسوب شغّل 'partdesk plant join --database-url URL --code CODE' برمز انضمام من مسؤول.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="77" />
            <source>The database {where} holds no plant yet; set it up on the first PC with 'partdesk plant init --database-url URL'.</source>
            <translation>قاعدة البيانات {where} لا تحوي أي مصنع بعد؛ أنشئه على الحاسوب الأول بـ 'partdesk plant init --database-url URL'.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/demo/__init__.py" line="43" />
            <source>The demo needs an empty data folder; this one is already set up.</source>
            <translation>يحتاج العرض التوضيحي إلى مجلد بيانات فارغ؛ هذا المجلد مُعدّ بالفعل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/base.py" line="66" />
            <source>The details are in the log: {log}</source>
            <translation>التفاصيل في السجل: {log}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/diagnostics.py" line="274" />
            <source>The diagnostics file {path} cannot be written ({detail}).</source>
            <translation>لا يمكن كتابة ملف التشخيص {path} ‏({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="25" />
            <source>The disk is full: {path} could not be written, and nothing was changed; free some space and try again.</source>
            <translation>القرص ممتلئ: تعذّرت كتابة {path}، ولم يُغيَّر شيء؛ حرّر بعض المساحة وأعد المحاولة.</translation>
        </message>
        <message>
            <source>The disk is full; nothing was written.</source>
            <translation type="vanished">القرص ممتلئ؛ لم يُكتب شيء.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="45" />
            <source>The disk reported an input/output error on {path}, and nothing was changed; check the drive (it may be failing or disconnected) and try again.</source>
            <translation>أبلغ القرص عن خطأ إدخال/إخراج في {path}، ولم يُغيَّر شيء؛ افحص محرك الأقراص (قد يكون معطّلًا أو مفصولًا) وأعد المحاولة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="261" />
            <source>The drawing revision “{value}” may use letters, digits, . and - only (at most 10).</source>
            <translation>مراجعة الرسم «{value}» يمكن أن تستخدم الحروف والأرقام و. و- فقط (10 على الأكثر).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/retention.py" line="162" />
            <source>The end of production is a day that has come; record it when production has ended.</source>
            <translation>نهاية الإنتاج يوم قد حلّ؛ سجّلها عندما ينتهي الإنتاج.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="204" />
            <source>The expiry date of a deviation cannot lie in the past.</source>
            <translation>لا يمكن أن يكون تاريخ انتهاء الاستثناء في الماضي.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="122" />
            <source>The expiry date of an interim approval lies in the future.</source>
            <translation>يقع تاريخ انتهاء الاعتماد المؤقت في المستقبل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa.py" line="325" />
            <source>The figures of this study could not be computed.</source>
            <translation>تعذّر حساب أرقام هذه الدراسة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="142" />
            <source>The file has no column {column}.</source>
            <translation>لا يحتوي الملف على العمود {column}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence_import.py" line="331" />
            <source>The file has no readings.</source>
            <translation>لا يحتوي الملف على قراءات.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence_import.py" line="229" />
            <source>The file has no rows to import.</source>
            <translation>لا يحتوي الملف على صفوف للاستيراد.</translation>
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
            <translation>لا يمكن قراءة الملف {name} ({detail}).</translation>
        </message>
        <message>
            <source>The file {name} cannot be written ({detail}).</source>
            <translation type="vanished">لا يمكن كتابة الملف {name} ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/attachments.py" line="49" />
            <source>The file {name} changed or disappeared while it was being attached; nothing was stored. Try again once it is complete.</source>
            <translation>تغيّر الملف {name} أو اختفى أثناء إرفاقه؛ لم يُخزَّن شيء. حاول مجددًا عندما يكتمل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import.py" line="147" />
            <source>The file {name} changed since it was checked; it is read and checked again.</source>
            <translation>تغيّر الملف {name} منذ فحصه؛ تُعاد قراءته وفحصه.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="191" />
            <location filename="../../desktop_app/files/tables.py" line="157" />
            <source>The file {name} does not exist.</source>
            <translation>الملف {name} غير موجود.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/blobs.py" line="201" />
            <source>The file {name} does not match its hash.</source>
            <translation>الملف {name} لا يطابق بصمته.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/reference_lists.py" line="97" />
            <source>The file {name} has no column for {fields}; expected columns: code, name, kind, rate.</source>
            <translation>لا يحتوي الملف {name} على عمود لـ {fields}؛ الأعمدة المتوقعة: code وname وkind وrate.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import.py" line="173" />
            <source>The file {name} has no rows to import.</source>
            <translation>لا يحتوي الملف {name} على صفوف للاستيراد.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="247" />
            <source>The file {name} is empty.</source>
            <translation>الملف {name} فارغ.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="174" />
            <source>The file {name} is not an Excel workbook (.xlsx) or a CSV file; it looks like {what}.</source>
            <translation>الملف {name} ليس مصنف Excel ‏(.xlsx) ولا ملف CSV؛ يبدو أنه {what}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certificates.py" line="284" />
            <source>The file {path} cannot be read.</source>
            <translation>لا يمكن قراءة الملف {path}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/sync_keys.py" line="118" />
            <source>The fingerprint you typed does not match the key in {name}; do not enrol it and check with the other site.</source>
            <translation>البصمة التي كتبتها لا تطابق المفتاح في {name}؛ لا تسجّله وتحقق مع الموقع الآخر.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="116" />
            <source>The grace period lasts 0 to 60 months, not '{value}'.</source>
            <translation>تدوم المهلة الإضافية من 0 إلى 60 شهراً، وليس «{value}».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="610" />
            <source>The header row (row {row}) of {name} has merged cells; unmerge them so that every column has its own name.</source>
            <translation>صف العناوين (الصف {row}) في {name} يحتوي خلايا مدمجة؛ افصلها ليكون لكل عمود اسمه.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="132" />
            <source>The judgement of part {part} by operator {operator} in trial {trial} is '{value}', neither OK nor NG.</source>
            <translation>حكم المشغّل {operator} على القطعة {part} في المحاولة {trial} هو «{value}»، ليس OK ولا NG.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/sync_keys.py" line="76" />
            <source>The key file {path} cannot be written ({detail}).</source>
            <translation>لا يمكن كتابة ملف المفتاح {path} ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa.py" line="334" />
            <source>The kind of study '{value}' is not one of: variable (gauge R&amp;R), attribute (OK / NG).</source>
            <translation>نوع الدراسة «{value}» ليس من: متغير (دراسة R&amp;R)، سمة (OK / NG).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="374" />
            <source>The line gives a value of characteristic {index}, which the file does not describe (no K2001/{index} …).</source>
            <translation>يعطي السطر قيمة للخاصية {index}، التي لا يصفها الملف (لا يوجد K2001/{index} …).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="365" />
            <source>The line gives values of {found} characteristics, but the file has {count}.</source>
            <translation>يعطي السطر قيمًا لـ {found} خاصية، لكن الملف يحتوي على {count}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="271" />
            <source>The line is neither a K-field (such as K2001/1 …) nor a line of values.</source>
            <translation>السطر ليس حقل K (مثل K2001/1 …) ولا سطر قيم.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="188" />
            <source>The lower limit {lower} must be below the upper limit {upper}.</source>
            <translation>يجب أن يكون الحد الأدنى {lower} أقل من الحد الأعلى {upper}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="20" />
            <source>The operation failed.</source>
            <translation>فشلت العملية.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="22" />
            <source>The package holds a file with a forbidden name ({member}); it was refused.</source>
            <translation>تحتوي الحزمة على ملف باسم محظور ({member})؛ رُفضت.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="27" />
            <source>The package holds a link or special file ({member}); it was refused.</source>
            <translation>تحتوي الحزمة على رابط أو ملف خاص ({member})؛ رُفضت.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="37" />
            <source>The package holds an encrypted or unusually compressed file ({member}).</source>
            <translation>تحتوي الحزمة على ملف مشفّر أو مضغوط بطريقة غير معتادة ({member}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="184" />
            <source>The package holds an invalid revision of site {site}: {detail}</source>
            <translation>تحتوي الحزمة على مراجعة غير صالحة من الموقع {site}: {detail}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="32" />
            <source>The package holds the file {member} twice; it was refused.</source>
            <translation>تحتوي الحزمة على الملف {member} مرتين؛ رُفضت.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="142" />
            <source>The package holds work signed with the key of site {site} after that key was retired.</source>
            <translation>تحتوي الحزمة على أعمال موقَّعة بمفتاح الموقع {site} بعد إيقاف ذلك المفتاح.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="42" />
            <source>The package holds {count} files, above the limit of {limit}.</source>
            <translation>تحتوي الحزمة على {count} ملفًا، فوق الحد البالغ {limit}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="67" />
            <source>The package holds {member}, which its signed manifest does not list.</source>
            <translation>تحتوي الحزمة على {member} الذي لا يذكره بيانها الموقَّع.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="77" />
            <source>The package is not a PartDesk sync package of a supported format ({detail}).</source>
            <translation>الحزمة ليست حزمة مزامنة PartDesk بتنسيق مدعوم ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="88" />
            <source>The package is signed by site {site}, whose key is not enrolled here.</source>
            <translation>الحزمة موقَّعة من الموقع {site} الذي لم يُسجَّل مفتاحه هنا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="93" />
            <source>The package is signed with the retired key of site {site}; new packages from it are refused.</source>
            <translation>الحزمة موقَّعة بالمفتاح المتقاعد للموقع {site}؛ تُرفض الحزم الجديدة الموقَّعة به.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="63" />
            <source>The package lacks {member}.</source>
            <translation>تفتقر الحزمة إلى {member}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="119" />
            <source>The package manifest is malformed ({detail}).</source>
            <translation>بيان الحزمة مشوّه ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="136" />
            <source>The package relays work signed by site {site}, whose key is not enrolled here; enrol that site first.</source>
            <translation>تنقل الحزمة أعمالًا موقَّعة من الموقع {site} الذي لم يُسجَّل مفتاحه هنا؛ سجّل ذلك الموقع أولًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="99" />
            <source>The package signature does not match its manifest; it was altered or forged.</source>
            <translation>توقيع الحزمة لا يطابق بيانها؛ لقد عُدّلت أو زُوّرت.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="82" />
            <source>The package was made by a newer PartDesk (data version {version}, this one reads up to {supported}); update PartDesk first.</source>
            <translation>أُنشئت الحزمة بإصدار أحدث من PartDesk (إصدار البيانات {version}، وهذا يقرأ حتى {supported})؛ حدّث PartDesk أولًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="13" />
            <source>The package was refused.</source>
            <translation>رُفضت الحزمة.</translation>
        </message>
        <message>
            <source>The package {path} cannot be written ({detail}).</source>
            <translation type="vanished">لا يمكن كتابة الحزمة {path} ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="256" />
            <source>The part number “{value}” may use letters, digits, spaces and . _ / - only (at most 60).</source>
            <translation>رقم القطعة «{value}» يمكن أن يستخدم الحروف والأرقام والمسافات و. _ / - فقط (60 على الأكثر).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/plant.py" line="51" />
            <source>The plant's site key is missing from the database {where}, although this PC was enrolled; nothing is signed until plant IT restores the database from its backup.</source>
            <translation>مفتاح موقع المصنع مفقود من قاعدة البيانات {where} رغم أن هذا الحاسوب كان مسجَّلًا؛ لن يُوقَّع أي شيء حتى يستعيد قسم المعلوماتية قاعدة البيانات من نسختها الاحتياطية.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="199" />
            <source>The quantity of a deviation is a positive number of parts.</source>
            <translation>كمية الاستثناء عدد موجب من القطع.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="117" />
            <source>The quantity of an interim approval is a positive number of parts.</source>
            <translation>كمية الاعتماد المؤقت عدد موجب من القطع.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="248" />
            <source>The quantity shipped under a deviation is a positive number of parts.</source>
            <translation>الكمية المسلَّمة بموجب استثناء عدد موجب من القطع.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="89" />
            <source>The rate '{value}' is not a number.</source>
            <translation>النسبة «{value}» ليست رقمًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="101" />
            <source>The rate {value} is above 100 %.</source>
            <translation>النسبة {value} أعلى من 100 %.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="95" />
            <source>The rate {value} is negative; a rate is between 0 and 100 %.</source>
            <translation>النسبة {value} سالبة؛ النسبة بين 0 و100 %.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="349" />
            <source>The reading of part {part} by operator {operator} in trial {trial} is not a finite number.</source>
            <translation>قراءة المشغّل {operator} للقطعة {part} في المحاولة {trial} ليست عددًا منتهيًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification.py" line="173" />
            <source>The reason “Other” needs a few words saying what it is.</source>
            <translation>السبب «أخرى» يحتاج إلى بضع كلمات توضحه.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="149" />
            <source>The reference holds {ok} OK and {ng} NG parts: an attribute agreement study needs both, to measure misses and false alarms.</source>
            <translation>يحتوي المرجع على {ok} قطعة OK و{ng} قطعة NG: تحتاج دراسة توافق السمات إلى النوعين لقياس الإخفاقات والإنذارات الكاذبة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="178" />
            <source>The reference list sums to {total} %, {excess} % more than 100 %.</source>
            <translation>مجموع القائمة المرجعية {total} %، أي بزيادة {excess} % على 100 %.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="248" />
            <source>The report is issued ({issued}) before the test ({tested}).</source>
            <translation>صدر التقرير ({issued}) قبل الاختبار ({tested}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/gauges.py" line="86" />
            <source>The resolution of a gauge is above zero.</source>
            <translation>دقة أداة القياس أكبر من الصفر.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="169" />
            <source>The roadmap step {code} needs a target date.</source>
            <translation>تحتاج مرحلة خارطة الطريق {code} إلى تاريخ مستهدف.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="165" />
            <source>The roadmap step {code} needs a title.</source>
            <translation>تحتاج مرحلة خارطة الطريق {code} إلى عنوان.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="242" />
            <source>The sample size cannot be negative.</source>
            <translation>لا يمكن أن يكون حجم العينة سالبًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="172" />
            <source>The set code {code} appears twice in the reference list.</source>
            <translation>يظهر رمز المجموعة {code} مرتين في القائمة المرجعية.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="151" />
            <source>The set {code} needs a name.</source>
            <translation>تحتاج المجموعة {code} إلى اسم.</translation>
        </message>
        <message>
            <source>The set {code}{where} needs a name.</source>
            <translation type="vanished">تحتاج المجموعة {code}{where} إلى اسم.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/roadmap.py" line="133" />
            <source>The set {set} of the component {name} is not in the reference list of {model}.</source>
            <translation>المجموعة {set} من المكوّن {name} ليست في القائمة المرجعية للطراز {model}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa_sheets.py" line="84" />
            <source>The sheet has no {columns} column: a study sheet has one row per reading with its operator, part, trial and value.</source>
            <translation>لا يوجد في الورقة عمود {columns}: لورقة الدراسة صف لكل قراءة بمشغّلها وقطعتها ومحاولتها وقيمتها.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa_sheets.py" line="89" />
            <source>The sheet {name} holds no readings.</source>
            <translation>لا تحتوي الورقة {name} على أي قراءة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="148" />
            <source>The signature of site {site} on a batch of the package does not match; the batch was altered or forged.</source>
            <translation>توقيع الموقع {site} على إحدى دفعات الحزمة لا يطابق؛ عُدّلت الدفعة أو زُوّرت.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/keys.py" line="30" />
            <source>The site key is not an Ed25519 key.</source>
            <translation>مفتاح الموقع ليس مفتاح Ed25519.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="280" />
            <source>The status {value} is not known.</source>
            <translation>الحالة {value} غير معروفة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/attachments.py" line="196" />
            <location filename="../../desktop_app/services/attachments.py" line="224" />
            <source>The stored copy of {name} is altered (its bytes no longer match SHA-256 {sha}); run 'partdesk verify' and restore it from a backup.</source>
            <translation>النسخة المخزنة من {name} معدّلة (لم تعد بايتاتها تطابق SHA-256 {sha})؛ شغّل ‎'partdesk verify'‎ واستعدها من نسخة احتياطية.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa.py" line="225" />
            <source>The study date {date} is after today.</source>
            <translation>تاريخ الدراسة {date} بعد اليوم.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="192" />
            <source>The study is not balanced: operator {operator} has no trial {trial} of part {part}, where every operator reads every part in trials {trials}.</source>
            <translation>الدراسة غير متوازنة: ليس للمشغّل {operator} محاولة {trial} على القطعة {part}، بينما يقيس كل مشغّل كل قطعة في المحاولات {trials}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification.py" line="302" />
            <source>The submission cannot be submitted: {first} (problems found: {count}; see the check list).</source>
            <translation>لا يمكن تقديم الملف: {first} (عدد المشكلات: {count}؛ راجع قائمة التحقق).</translation>
        </message>
        <message>
            <source>The submission cannot be submitted: {first} ({count} problem(s) in all; see the check list).</source>
            <translation type="vanished">لا يمكن تقديم الملف: {first} ({count} مشكلة إجمالًا؛ راجع قائمة التحقق).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/suppliers.py" line="114" />
            <source>The supplier code {code} is already used by {name}.</source>
            <translation>رمز المورّد {code} مستخدم بالفعل من قِبل {name}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="189" />
            <source>The target date {target} of step {code} is before the approval of {model} on {approval}.</source>
            <translation>التاريخ المستهدف {target} للمرحلة {code} يسبق اعتماد {model} في {approval}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="340" />
            <source>The tolerance of a gauge R&amp;R is the width of the specification, above zero.</source>
            <translation>تفاوت دراسة R&amp;R هو عرض المواصفة، أكبر من الصفر.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="249" />
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="43" />
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="24" />
            <source>The two passwords differ.</source>
            <translation>كلمتا المرور مختلفتان.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="275" />
            <source>The unit {value} is not one of {units}.</source>
            <translation>الوحدة {value} ليست من {units}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/migrations.py" line="110" />
            <source>The upgrade of the database was stopped because it would have left {count} rows of {table} pointing at missing records; the database is unchanged. Keep this version and report it to plant IT.</source>
            <translation>أُوقفت ترقية قاعدة البيانات لأنها كانت ستترك {count} صفاً من {table} تشير إلى سجلات مفقودة؛ قاعدة البيانات لم تتغير. احتفظ بهذا الإصدار وأبلغ قسم المعلوماتية في المصنع.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/migrations.py" line="105" />
            <source>The upgrade of the database was stopped because it would have removed {count} rows of {table}; the database is unchanged. Keep this version and report it to plant IT.</source>
            <translation>أُوقفت ترقية قاعدة البيانات لأنها كانت ستحذف {count} صفاً من {table}؛ قاعدة البيانات لم تتغير. احتفظ بهذا الإصدار وأبلغ قسم المعلوماتية في المصنع.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="59" />
            <source>The user name or password is wrong.</source>
            <translation>اسم المستخدم أو كلمة المرور غير صحيحة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/people.py" line="310" />
            <source>The user name {user} is already taken.</source>
            <translation>اسم المستخدم {user} مأخوذ بالفعل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/revisions.py" line="106" />
            <source>The value at {path} cannot be stored ({kind}).</source>
            <translation>لا يمكن تخزين القيمة في {path} ({kind}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/revisions.py" line="89" />
            <location filename="../../desktop_app/domain/revisions.py" line="97" />
            <source>The value at {path} is not a finite number.</source>
            <translation>القيمة في {path} ليست رقمًا منتهيًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/suppliers.py" line="139" />
            <source>The vehicle model code {code} is already used.</source>
            <translation>رمز طراز المركبة {code} مستخدم بالفعل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="218" />
            <source>The vehicles planned for {period} must be a whole number, 0 or more.</source>
            <translation>يجب أن تكون المركبات المخطَّطة للفترة {period} عدداً صحيحاً، 0 أو أكثر.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="126" />
            <source>The volume of {name} for {period} must be a whole number, 0 or more.</source>
            <translation>يجب أن يكون حجم {name} للفترة {period} عددًا صحيحًا، 0 أو أكثر.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/workbooks.py" line="53" />
            <source>The workbook {name} cannot be read; it may be damaged ({detail}).</source>
            <translation>لا يمكن قراءة المصنف {name}؛ قد يكون تالفًا ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/workbooks.py" line="59" />
            <source>The workbook {name} is protected by a password; save a copy without the password and import that.</source>
            <translation>المصنف {name} محمي بكلمة مرور؛ احفظ نسخة منه دون كلمة مرور واستورد تلك النسخة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="286" />
            <location filename="../../desktop_app/domain/parts.py" line="94" />
            <source>The {label} cannot be negative.</source>
            <translation>لا يمكن أن يكون {label} سالبًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="119" />
            <location filename="../../desktop_app/domain/parts.py" line="71" />
            <source>The {label} is empty.</source>
            <translation>{label} فارغ.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="74" />
            <source>The {label} is longer than {limit} characters.</source>
            <translation>{label} أطول من {limit} حرفًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="125" />
            <source>The {label} “{value}” is not a date (YYYY-MM-DD).</source>
            <translation>{label} «{value}» ليس تاريخًا (YYYY-MM-DD).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="90" />
            <source>The {label} “{value}” is not a number.</source>
            <translation>{label} «{value}» ليس رقمًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="109" />
            <source>The {label} “{value}” is not a whole number.</source>
            <translation>{label} «{value}» ليس عددًا صحيحًا.</translation>
        </message>
        <message>
            <source>The {what} '{value}'{where} is not a date (YYYY-MM-DD).</source>
            <translation type="vanished">{what} «{value}»{where} ليس تاريخًا (YYYY-MM-DD).</translation>
        </message>
        <message>
            <source>The {what} '{value}'{where} is not a number.</source>
            <translation type="vanished">{what} «{value}»{where} ليس رقمًا.</translation>
        </message>
        <message>
            <source>The {what} {value}{where} is above 100 %.</source>
            <translation type="vanished">{what} {value}{where} أعلى من 100 %.</translation>
        </message>
        <message>
            <source>The {what} {value}{where} is negative; a rate is between 0 and 100 %.</source>
            <translation type="vanished">{what} {value}{where} سالب؛ النسبة بين 0 و100 %.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification.py" line="343" />
            <source>There is no PPAP element {element}.</source>
            <translation>لا يوجد عنصر PPAP رقم {element}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/tabular.py" line="56" />
            <source>There is no field called {name} to map.</source>
            <translation>لا يوجد حقل باسم {name} للربط.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="102" />
            <source>This PC is already enrolled in the plant {code} (PC {pc}).</source>
            <translation>هذا الحاسوب مسجَّل مسبقًا في المصنع {code} (الحاسوب {pc}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/plant.py" line="34" />
            <source>This PC is not enrolled in the plant whose database is {where}: ask an administrator for a join code ('partdesk --user NAME plant invite' on an enrolled PC), then run 'partdesk plant join --database-url URL --code CODE' here.</source>
            <translation>هذا الحاسوب غير مسجَّل في المصنع الذي قاعدة بياناته {where}: اطلب رمز انضمام من مسؤول ('partdesk --user NAME plant invite' على حاسوب مسجَّل)، ثم شغّل هنا 'partdesk plant join --database-url URL --code CODE'.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/plant.py" line="40" />
            <source>This PC was removed from the plant on {date} by {by}; ask an administrator for a new join code and run 'partdesk plant join --database-url URL --code CODE' again.</source>
            <translation>أُزيل هذا الحاسوب من المصنع في {date} بواسطة {by}؛ اطلب رمز انضمام جديدًا من مسؤول وشغّل 'partdesk plant join --database-url URL --code CODE' مجددًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/plant.py" line="56" />
            <source>This PC's plant key {path} cannot be read ({detail}); ask an administrator for a join code and run 'partdesk plant join --database-url URL --code CODE' again.</source>
            <translation>تتعذّر قراءة مفتاح المصنع لهذا الحاسوب {path} ({detail})؛ اطلب رمز انضمام من مسؤول وشغّل 'partdesk plant join --database-url URL --code CODE' مجددًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/plant.py" line="45" />
            <source>This PC's plant key {path} does not open the plant's site key (it belongs to another plant or was altered); ask an administrator for a join code and run 'partdesk plant join --database-url URL --code CODE' again.</source>
            <translation>مفتاح المصنع لهذا الحاسوب {path} لا يفتح مفتاح موقع المصنع (يعود إلى مصنع آخر أو عُدِّل)؛ اطلب رمز انضمام من مسؤول وشغّل 'partdesk plant join --database-url URL --code CODE' مجددًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/paths.py" line="158" />
            <source>This PC's plant settings {path} cannot be read ({detail}); run 'partdesk plant join --database-url URL --code CODE' again with a join code from an administrator.</source>
            <translation>تتعذّر قراءة إعدادات المصنع لهذا الحاسوب {path} ({detail})؛ شغّل 'partdesk plant join --database-url URL --code CODE' مجددًا برمز انضمام من مسؤول.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/database.py" line="148" />
            <source>This PartDesk has no driver for the database {where} ({module} is missing); install the plant build, which has the PostgreSQL driver.</source>
            <translation>لا يحتوي هذا الإصدار من PartDesk على مشغّل لقاعدة البيانات {where} ({module} مفقود)؛ ثبّت إصدار المصنع الذي يتضمن مشغّل PostgreSQL.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/folder_warnings.py" line="36" />
            <source>This computer's clock says {now}, earlier than the last change recorded here ({last}): check the date and time settings. Until then, validity and due dates are judged from {last_day}.</source>
            <translation>ساعة هذا الحاسوب تشير إلى {now}، وهو قبل آخر تغيير مسجّل هنا ({last}): تحقق من إعدادات التاريخ والوقت. وحتى ذلك الحين تُحتسب الصلاحيات والآجال ابتداءً من {last_day}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/site.py" line="65" />
            <source>This data folder already belongs to site {code}.</source>
            <translation>مجلد البيانات هذا يخص الموقع {code} بالفعل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/site.py" line="153" />
            <source>This data folder has no site yet; run the first-time set-up.</source>
            <translation>لا يحتوي مجلد البيانات هذا على موقع بعد؛ شغّل الإعداد الأول.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/site.py" line="43" />
            <source>This data folder's site record is missing; run 'partdesk verify'.</source>
            <translation>سجل موقع مجلد البيانات هذا مفقود؛ شغّل ‏'partdesk verify'.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/migrations.py" line="91" />
            <source>This database was written by a newer PartDesk (schema {revision}); install the newer version to open it.</source>
            <translation>كُتبت قاعدة البيانات هذه بإصدار أحدث من PartDesk (المخطط {revision})؛ ثبّت الإصدار الأحدث لفتحها.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="107" />
            <location filename="../../desktop_app/services/deviations.py" line="265" />
            <source>This decision needs a reason, which is recorded with the signature.</source>
            <translation>يحتاج هذا القرار إلى سبب يُسجَّل مع التوقيع.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="82" />
            <source>This is not a join code: it has 25 letters and digits in five groups, as 'partdesk plant invite' printed it.</source>
            <translation>هذا ليس رمز انضمام: فهو 25 حرفًا ورقمًا في خمس مجموعات، كما طبعه 'partdesk plant invite'.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/keys.py" line="45" />
            <source>This is not an Ed25519 public key.</source>
            <translation>هذا ليس مفتاحًا عامًا من نوع Ed25519.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="87" />
            <source>This join code does not open the plant's key in {where}: check it, or ask an administrator for a new one ('partdesk plant invite').</source>
            <translation>رمز الانضمام هذا لا يفتح مفتاح المصنع في {where}: تحقّق منه، أو اطلب رمزًا جديدًا من مسؤول ('partdesk plant invite').</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="97" />
            <source>This join code expired on {date}; ask an administrator for a new one ('partdesk plant invite').</source>
            <translation>انتهت صلاحية رمز الانضمام هذا في {date}؛ اطلب رمزًا جديدًا من مسؤول ('partdesk plant invite').</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="92" />
            <source>This join code was already used on {date}; ask an administrator for a new one ('partdesk plant invite').</source>
            <translation>استُعمل رمز الانضمام هذا مسبقًا في {date}؛ اطلب رمزًا جديدًا من مسؤول ('partdesk plant invite').</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/sync_keys.py" line="130" />
            <source>This key of site {code} is already enrolled (retired: {retired}).</source>
            <translation>مفتاح الموقع {code} هذا مسجَّل بالفعل (متقاعد: {retired}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/context.py" line="150" />
            <source>This site's signing key is missing from {path}.</source>
            <translation>مفتاح التوقيع لهذا الموقع مفقود من {path}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/roadmap.py" line="279" />
            <source>This step was edited at two sites; merge it before signing.</source>
            <translation>عُدّلت هذه المرحلة في موقعين؛ ادمجها قبل التوقيع.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="60" />
            <source>This submission cannot be {action}: {first} (problems found: {count}; see the check list).</source>
            <translation>لا يمكن {action} هذا الملف: {first} (عدد المشكلات: {count}؛ انظر قائمة الفحص).</translation>
        </message>
        <message>
            <source>This submission cannot be {action}: {first} ({count} problem(s) in all; see the check list).</source>
            <translation type="vanished">لا يمكن {action} هذا الملف: {first} ({count} مشكلة في المجموع؛ انظر قائمة الفحص).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="153" />
            <source>This submission is approved as it stands; it needs no new approval.</source>
            <translation>هذا الملف المقدَّم معتمد كما هو؛ لا يحتاج إلى اعتماد جديد.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/roadmap.py" line="289" />
            <source>This version of the step is already signed for that party.</source>
            <translation>هذه النسخة من المرحلة موقَّعة بالفعل لذلك الطرف.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="241" />
            <source>Tolerances need a nominal value.</source>
            <translation>تحتاج التفاوتات إلى قيمة اسمية.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="69" />
            <source>Too many failed sign-ins for {user}; try again in {seconds} seconds.</source>
            <translation>محاولات دخول فاشلة كثيرة لـ {user}؛ حاول مجددًا بعد {seconds} ثانية.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="161" />
            <source>Two milestones fall at the end of the same year.</source>
            <translation>يقع معلمان في نهاية السنة نفسها.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="63" />
            <source>a 7-Zip archive</source>
            <translation>أرشيف 7-Zip</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="65" />
            <source>a GIF image</source>
            <translation>صورة GIF</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="62" />
            <source>a RAR archive</source>
            <translation>أرشيف RAR</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="57" />
            <source>a Windows program</source>
            <translation>برنامج Windows</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="137" />
            <source>a ZIP archive (not an Excel workbook)</source>
            <translation>أرشيف ZIP (ليس مصنف Excel)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="66" />
            <source>a binary DXF drawing</source>
            <translation>رسم DXF ثنائي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="64" />
            <source>a compressed archive</source>
            <translation>أرشيف مضغوط</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="58" />
            <location filename="../../desktop_app/files/sniff.py" line="59" />
            <source>a program</source>
            <translation>برنامج</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="60" />
            <source>a script</source>
            <translation>نص برمجي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="61" />
            <source>an old Office document</source>
            <translation>مستند Office قديم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/audit.py" line="415" />
            <source>audit log: a seal names entry {seq}, but the log ends at entry {head} (entries were removed).</source>
            <translation>سجل التدقيق: يشير أحد الأختام إلى القيد {seq}، لكن السجل ينتهي عند القيد {head} (حُذفت قيود).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="342" />
            <source>audit log: backup {name} holds the log up to entry {seq}, but the log ends at entry {head} (entries were removed).</source>
            <translation>سجل التدقيق: تحتوي النسخة الاحتياطية {name} على السجل حتى القيد {seq}، لكن السجل ينتهي عند القيد {head} (حُذفت قيود).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/audit.py" line="425" />
            <source>audit log: entries {first} to {last} are not sealed by this site's key.</source>
            <translation>سجل التدقيق: القيود من {first} إلى {last} غير مختومة بمفتاح هذا الموقع.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="347" />
            <source>audit log: entry {seq} differs from backup {name} (the log was rewritten).</source>
            <translation>سجل التدقيق: القيد {seq} يختلف عن النسخة الاحتياطية {name} (أُعيدت كتابة السجل).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="333" />
            <source>audit log: entry {seq} differs from the anchor file (the log was rewritten).</source>
            <translation>سجل التدقيق: القيد {seq} يختلف عن ملف الإرساء (أُعيدت كتابة السجل).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="355" />
            <source>audit log: entry {seq} differs from the head sent in package {sequence} on {date} (the log was rewritten).</source>
            <translation>سجل التدقيق: القيد {seq} يختلف عن الرأس المُرسَل في الحزمة {sequence} بتاريخ {date} (أُعيدت كتابة السجل).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="365" />
            <source>audit log: entry {seq} differs from the one site {site} holds (as of {at}); the log was rewritten.</source>
            <translation>سجل التدقيق: القيد {seq} يختلف عن القيد الذي يحتفظ به الموقع {site} (بتاريخ {at})؛ أُعيدت كتابة السجل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/audit.py" line="420" />
            <source>audit log: none of its {count} entries is sealed by this site's key (a folder from before sealing, or the seals were removed); the next change made here seals the log.</source>
            <translation>سجل التدقيق: لا يوجد أي قيد من قيوده البالغ عددها {count} مختومًا بمفتاح هذا الموقع (مجلد يسبق الختم، أو حُذفت الأختام)؛ سيُختم السجل عند التعديل التالي الذي يُجرى هنا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="350" />
            <source>audit log: package {sequence} sent on {date} carried the log up to entry {seq}, but the log ends at entry {head} (entries were removed).</source>
            <translation>سجل التدقيق: حملت الحزمة {sequence} المُرسَلة بتاريخ {date} السجل حتى القيد {seq}، لكن السجل ينتهي عند القيد {head} (حُذفت قيود).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="360" />
            <source>audit log: site {site} holds this log up to entry {seq} (as of {at}), but the log ends at entry {head} (entries were removed).</source>
            <translation>سجل التدقيق: يحتفظ الموقع {site} بهذا السجل حتى القيد {seq} (بتاريخ {at})، لكن السجل ينتهي عند القيد {head} (حُذفت قيود).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="328" />
            <source>audit log: the anchor file holds the log up to entry {seq}, but the log ends at entry {head} (entries were removed).</source>
            <translation>سجل التدقيق: يحتوي ملف الإرساء على السجل حتى القيد {seq}، لكن السجل ينتهي عند القيد {head} (حُذفت قيود).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="322" />
            <source>audit log: the anchor file {path} cannot be read ({detail}).</source>
            <translation>سجل التدقيق: تتعذّر قراءة ملف الإرساء {path} ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="317" />
            <source>audit log: the anchor file {path} is missing although the log is sealed (deleted?); the next change made here writes a new one and records that in the log.</source>
            <translation>سجل التدقيق: ملف الإرساء {path} مفقود رغم أن السجل مختوم (هل حُذف؟)؛ سيكتب التعديل التالي الذي يُجرى هنا ملفًا جديدًا ويسجّل ذلك في السجل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="325" />
            <source>audit log: the anchor file {path} is not signed by this site's key (altered).</source>
            <translation>سجل التدقيق: ملف الإرساء {path} غير موقَّع بمفتاح هذا الموقع (معدَّل).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="336" />
            <source>audit log: the head of backup {name} cannot be read ({detail}).</source>
            <translation>سجل التدقيق: تتعذّر قراءة رأس النسخة الاحتياطية {name} ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="339" />
            <source>audit log: the head recorded for backup {name} is not signed by this site's key.</source>
            <translation>سجل التدقيق: الرأس المسجَّل للنسخة الاحتياطية {name} غير موقَّع بمفتاح هذا الموقع.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/audit.py" line="400" />
            <source>audit log: the site key is missing or cannot be read, so its {count} seals cannot be checked.</source>
            <translation>سجل التدقيق: مفتاح الموقع مفقود أو تتعذّر قراءته، لذا لا يمكن التحقق من أختامه البالغ عددها {count}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/audit.py" line="410" />
            <source>audit log: {count} seals are not signed by this site's key, the first at entry {seq} (forged or altered).</source>
            <translation>سجل التدقيق: {count} من الأختام غير موقَّعة بمفتاح هذا الموقع، أولها عند القيد {seq} (مزوَّرة أو معدَّلة).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/audit.py" line="405" />
            <source>audit log: {count} seals do not match their entries, the first at entry {seq} (entries were changed after they were sealed).</source>
            <translation>سجل التدقيق: {count} من الأختام لا تطابق قيودها، أولها عند القيد {seq} (عُدّلت قيود بعد ختمها).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="143" />
            <source>binary data of an unknown kind</source>
            <translation>بيانات ثنائية من نوع غير معروف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="66" />
            <source>move the file away, or choose another data folder</source>
            <translation>انقل الملف إلى مكان آخر، أو اختر مجلد بيانات آخر</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="62" />
            <source>no backup in {backups} verifies, so bring back a copy of the whole folder from elsewhere</source>
            <translation>لا توجد نسخة احتياطية في {backups} تجتاز التحقق، فأعد نسخة من المجلد كاملًا من مكان آخر</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="243" />
            <source>the component family “{value}” is not in the list of families.</source>
            <translation>عائلة المكوّنات «{value}» ليست في قائمة العائلات.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="251" />
            <source>the status “{value}” is not one of in development, released, obsolete.</source>
            <translation>الحالة «{value}» ليست من: قيد التطوير، مُصدَرة، متقادمة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="271" />
            <source>the supplier “{value}” is not registered (a strict import creates no supplier).</source>
            <translation>المورّد «{value}» غير مسجَّل (الاستيراد الصارم لا ينشئ موردين).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="259" />
            <source>the vehicle model “{value}” is not registered.</source>
            <translation>طراز المركبة «{value}» غير مسجَّل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="93" />
            <source>{action} is not a decision.</source>
            <translation>{action} ليس قرارًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="82" />
            <source>{file}, line {line}: {message}</source>
            <translation>{file}، السطر {line}: {message}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="345" />
            <source>{key} gives a value of characteristic {index}, which the file does not describe (no K2001/{index} …).</source>
            <translation>يعطي {key} قيمة للخاصية {index}، التي لا يصفها الملف (لا يوجد K2001/{index} …).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="291" />
            <source>{key} has no valid characteristic index (such as /1, /2, or /0 for every characteristic).</source>
            <translation>ليس لـ {key} رقم خاصية صالح (مثل ‎/1 أو ‎/2، أو ‎/0 لكل الخصائص).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="317" />
            <source>{key} is characteristic type {value}; this import reads 0 (variable) and 1 (attribute).</source>
            <translation>{key} هو نوع الخاصية {value}؛ هذا الاستيراد يقرأ 0 (كمية) و1 (وصفية).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="437" />
            <source>{key} names characteristic {index}, but the file has {count} (K0100).</source>
            <translation>يشير {key} إلى الخاصية {index}، لكن الملف يحتوي على {count} (K0100).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="334" />
            <source>{key} needs the index of one characteristic (/1, /2 …), not /0.</source>
            <translation>يحتاج {key} إلى رقم خاصية واحدة (‎/1، ‎/2 …)، وليس ‎/0.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="414" />
            <source>{key} should be a date and time such as 13.05.2025/08:15:00, not "{value}".</source>
            <translation>يجب أن يكون {key} تاريخًا ووقتًا مثل 13.05.2025/08:15:00، وليس «{value}».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="393" />
            <source>{key} should be a number, not "{value}".</source>
            <translation>يجب أن يكون {key} رقمًا، وليس «{value}».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="407" />
            <source>{key} should be a subgroup size from 1 to {most}, not "{value}".</source>
            <translation>يجب أن يكون {key} حجم مجموعة فرعية من 1 إلى {most}، وليس «{value}».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="398" />
            <location filename="../../desktop_app/files/aqdef.py" line="403" />
            <source>{key} should be a whole number, not "{value}".</source>
            <translation>يجب أن يكون {key} عددًا صحيحًا، وليس «{value}».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="301" />
            <source>{key} starts a second part; import a file of one part.</source>
            <translation>يبدأ {key} قطعة ثانية؛ استورد ملفًا لقطعة واحدة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/sync_keys.py" line="46" />
            <source>{kinds}: no such kind of record a site may be allowed to write.</source>
            <translation>{kinds}: ليست أنواع سجلات يمكن السماح لموقع بكتابتها.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="106" />
            <source>{label}: answer yes, no or n/a.</source>
            <translation>{label}: أجب بنعم أو لا أو غير منطبق.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="113" />
            <source>{label}: write a number.</source>
            <translation>{label}: اكتب رقماً.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="109" />
            <source>{label}: write the date as YYYY-MM-DD.</source>
            <translation>{label}: اكتب التاريخ بالصيغة YYYY-MM-DD.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="104" />
            <source>{member} in the package does not match its hash; it was altered.</source>
            <translation>{member} في الحزمة لا يطابق بصمته؛ لقد عُدّل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="52" />
            <source>{member} in the package expands far beyond its compressed size (a compression bomb); it was refused.</source>
            <translation>{member} في الحزمة يتمدد أكثر بكثير من حجمه المضغوط (قنبلة ضغط)؛ رُفض.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="47" />
            <source>{member} in the package is larger than allowed ({limit} bytes); it was refused.</source>
            <translation>{member} في الحزمة أكبر من المسموح ({limit} بايت)؛ رُفض.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="58" />
            <source>{member} in the package is not the size its headers or manifest say.</source>
            <translation>{member} في الحزمة ليس بالحجم الذي تذكره ترويساته أو بيانه.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="72" />
            <source>{member} in the package is not valid strict JSON (line {line}: {detail}).</source>
            <translation>{member} في الحزمة ليس JSON صارمًا صالحًا (السطر {line}: {detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/roadmap.py" line="242" />
            <source>{model} already has a roadmap step {code}.</source>
            <translation>لدى {model} بالفعل مرحلة خارطة طريق {code}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="450" />
            <source>{name} describes no characteristic (no K2001 … fields).</source>
            <translation>لا يصف {name} أي خاصية (لا توجد حقول K2001 …).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="277" />
            <source>{name} has no sheet {sheet}; its sheets are: {sheets}.</source>
            <translation>لا يحتوي {name} على الورقة {sheet}؛ أوراقه هي: {sheets}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="161" />
            <source>{name} holds only values; its description {stem}.dfd is not beside it.</source>
            <translation>يحتوي {name} على القيم فقط؛ ووصفه {stem}.dfd ليس بجانبه.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/attachments.py" line="116" />
            <source>{name} is already attached here as {existing} (same content, SHA-256 {sha}).</source>
            <translation>{name} مرفق هنا بالفعل باسم {existing} (المحتوى نفسه، SHA-256 {sha}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/backup.py" line="350" />
            <source>{name} is damaged ({detail}); it was not restored.</source>
            <translation>{name} تالف ({detail})؛ لم تتم استعادته.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="124" />
            <location filename="../../desktop_app/files/sniff.py" line="176" />
            <source>{name} is empty.</source>
            <translation>{name} فارغ.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="123" />
            <source>{name} is larger than the largest package accepted ({limit} bytes).</source>
            <translation>{name} أكبر من أكبر حزمة مقبولة ({limit} بايت).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/blobs.py" line="227" />
            <source>{name} is larger than the limit of {limit} MB.</source>
            <translation>{name} أكبر من الحد البالغ {limit} م.ب.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="198" />
            <location filename="../../desktop_app/files/sniff.py" line="192" />
            <source>{name} is named as a Q-DAS AQDEF file but holds binary data.</source>
            <translation>يحمل {name} اسم ملف Q-DAS AQDEF لكنه يحتوي على بيانات ثنائية.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="179" />
            <source>{name} is named as a Q-DAS AQDEF file but is a PDF document.</source>
            <translation>يحمل {name} اسم ملف Q-DAS AQDEF لكنه مستند PDF.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="183" />
            <source>{name} is named as a Q-DAS AQDEF file but is a ZIP archive (or an Excel workbook).</source>
            <translation>يحمل {name} اسم ملف Q-DAS AQDEF لكنه أرشيف ZIP (أو مصنف Excel).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="187" />
            <source>{name} is named as a Q-DAS AQDEF file but is an image.</source>
            <translation>يحمل {name} اسم ملف Q-DAS AQDEF لكنه صورة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="197" />
            <source>{name} is named as a Q-DAS AQDEF file but its first line is no K-field (such as K0100 or K1001).</source>
            <translation>يحمل {name} اسم ملف Q-DAS AQDEF لكن سطره الأول ليس حقل K (مثل K0100 أو K1001).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/backup.py" line="344" />
            <source>{name} is not a PartDesk backup ({detail}).</source>
            <translation>{name} ليس نسخة احتياطية من PartDesk ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/sync_keys.py" line="52" />
            <source>{name} is not a PartDesk site key file ({detail}).</source>
            <translation>{name} ليس ملف مفتاح موقع PartDesk ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="156" />
            <source>{name} is not a Q-DAS AQDEF file (.dfq, .dfd, .dfx).</source>
            <translation>{name} ليس ملف Q-DAS AQDEF (‎.dfq، ‎.dfd، ‎.dfx).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="17" />
            <source>{name} is not a complete PartDesk package (damaged or truncated: {detail}).</source>
            <translation>{name} ليس حزمة PartDesk كاملة (تالفة أو مبتورة: {detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="72" />
            <source>{name} is not an allowed file type ({allowed}); its content looks like {looks_like}.</source>
            <translation>{name} ليس من أنواع الملفات المسموح بها ({allowed})؛ يبدو محتواه {looks_like}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/sync_keys.py" line="123" />
            <source>{name} is this site's own key.</source>
            <translation>{name} هو مفتاح هذا الموقع نفسه.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/attachments.py" line="218" />
            <source>{name} is too large to preview; open it instead.</source>
            <translation>{name} أكبر من أن يُعاين؛ افتحه بدلًا من ذلك.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/attachments.py" line="86" />
            <location filename="../../desktop_app/storage/blobs.py" line="158" />
            <source>{name} is {size} MB, above the limit of {limit} MB.</source>
            <translation>حجم {name} ‏{size} م.ب، فوق الحد البالغ {limit} م.ب.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="50" />
            <source>{path} could not be written ({detail}), and nothing was changed.</source>
            <translation>تعذّرت كتابة {path} ‏({detail})، ولم يُغيَّر شيء.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="35" />
            <source>{path} is held by another program (an antivirus or a search indexer, perhaps), and nothing was changed; try again in a moment.</source>
            <translation>الملف {path} محجوز من برنامج آخر (ربما برنامج مكافحة فيروسات أو مفهرس بحث)، ولم يُغيَّر شيء؛ أعد المحاولة بعد لحظة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/conflicts.py" line="139" />
            <source>{rev} is not one of the competing versions of {key}.</source>
            <translation>{rev} ليست من النسخ المتعارضة لـ {key}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_schemas.py" line="322" />
            <source>{type} record {record}: a deletion carries no fields, but {name} is not empty.</source>
            <translation>السجل {type} {record}: الحذف لا يحمل أي حقول، لكن الحقل {name} ليس فارغًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_schemas.py" line="324" />
            <source>{type} record {record}: a deletion names no earlier revision in {name}.</source>
            <translation>السجل {type} {record}: الحذف لا يذكر أي مراجعة سابقة في الحقل {name}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_schemas.py" line="318" />
            <source>{type} record {record}: this kind of record is not known to this version.</source>
            <translation>السجل {type} {record}: هذا النوع من السجلات غير معروف في هذا الإصدار.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="32" />
            <source>{type} record {record}: {name} holds a character that cannot be stored (NUL or a lone surrogate).</source>
            <translation>السجل {type} {record}: يحتوي الحقل {name} على حرف لا يمكن تخزينه (NUL أو بديل منفرد).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="58" />
            <source>{type} record {record}: {name} holds more than {limit} entries.</source>
            <translation>السجل {type} {record}: يحتوي الحقل {name} على أكثر من {limit} عنصر.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="49" />
            <source>{type} record {record}: {name} is a number too large or too close to zero (1E-12 to 1E+13 in size).</source>
            <translation>السجل {type} {record}: الحقل {name} عدد كبير جدًا أو قريب جدًا من الصفر (يجب أن يكون مقداره بين 1E-12 و1E+13).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="30" />
            <source>{type} record {record}: {name} is longer than {limit} characters.</source>
            <translation>السجل {type} {record}: الحقل {name} أطول من {limit} حرفًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="28" />
            <source>{type} record {record}: {name} is missing.</source>
            <translation>السجل {type} {record}: الحقل {name} مفقود.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="54" />
            <source>{type} record {record}: {name} is not 64 hexadecimal digits (a hash or a key).</source>
            <translation>السجل {type} {record}: الحقل {name} ليس 64 رقمًا ست عشريًا (بصمة أو مفتاح).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="44" />
            <source>{type} record {record}: {name} is not a UTC time stamp such as 2026-01-31T08:00:00.000000Z.</source>
            <translation>السجل {type} {record}: الحقل {name} ليس طابعًا زمنيًا بتوقيت UTC مثل 2026-01-31T08:00:00.000000Z.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="42" />
            <source>{type} record {record}: {name} is not a date (YYYY-MM-DD).</source>
            <translation>السجل {type} {record}: الحقل {name} ليس تاريخًا (YYYY-MM-DD).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="47" />
            <source>{type} record {record}: {name} is not a decimal number written as text.</source>
            <translation>السجل {type} {record}: الحقل {name} ليس عددًا عشريًا مكتوبًا كنص.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="26" />
            <source>{type} record {record}: {name} is not a field of this kind of record.</source>
            <translation>السجل {type} {record}: {name} ليس حقلًا في هذا النوع من السجلات.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="56" />
            <source>{type} record {record}: {name} is not a list.</source>
            <translation>السجل {type} {record}: الحقل {name} ليس قائمة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="52" />
            <source>{type} record {record}: {name} is not a record id (a UUID in lower case).</source>
            <translation>السجل {type} {record}: الحقل {name} ليس معرّف سجل (UUID بأحرف صغيرة).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="37" />
            <source>{type} record {record}: {name} is not a whole number.</source>
            <translation>السجل {type} {record}: الحقل {name} ليس عددًا صحيحًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="57" />
            <source>{type} record {record}: {name} is not an object.</source>
            <translation>السجل {type} {record}: الحقل {name} ليس كائنًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="41" />
            <source>{type} record {record}: {name} is not one of {allowed}.</source>
            <translation>السجل {type} {record}: الحقل {name} ليس من بين القيم {allowed}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="29" />
            <source>{type} record {record}: {name} is not text.</source>
            <translation>السجل {type} {record}: الحقل {name} ليس نصًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="40" />
            <source>{type} record {record}: {name} is not true or false.</source>
            <translation>السجل {type} {record}: الحقل {name} ليس قيمة «صح» أو «خطأ».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="35" />
            <source>{type} record {record}: {name} is not written in the form this field takes.</source>
            <translation>السجل {type} {record}: الحقل {name} غير مكتوب بالصيغة التي يتطلبها هذا الحقل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="38" />
            <source>{type} record {record}: {name} is outside the range {low} to {high}.</source>
            <translation>السجل {type} {record}: الحقل {name} خارج النطاق من {low} إلى {high}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_schemas.py" line="320" />
            <source>{type} record {record}: {name} names the same revision twice.</source>
            <translation>السجل {type} {record}: يذكر الحقل {name} المراجعة نفسها مرتين.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="54" />
            <source>{user} ({role}) is not allowed to {action}.</source>
            <translation>لا يُسمح لـ {user} ({role}) بـ {action}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/roadmap.py" line="285" />
            <source>{user} already signed this step for the other party; each party signs with its own person.</source>
            <translation>وقّع {user} هذه المرحلة بالفعل عن الطرف الآخر؛ يوقّع كل طرف بشخص من جهته.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/people.py" line="430" />
            <source>{user} is the last active administrator; appoint another first.</source>
            <translation>{user} هو آخر مسؤول نشط؛ عيّن مسؤولًا آخر أولًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="184" />
            <source>{user} prepared this submission and cannot approve it; another approver must decide.</source>
            <translation>أعدّ {user} هذا الملف المقدَّم ولا يمكنه اعتماده؛ يجب أن يقرر معتمِد آخر.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="188" />
            <source>{user} produced evidence in this submission and cannot approve it; another approver must decide.</source>
            <translation>أنتج {user} أدلة في هذا الملف المقدَّم ولا يمكنه اعتماده؛ يجب أن يقرر معتمِد آخر.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="312" />
            <source>{user} requested this deviation and cannot decide on it; the customer's approver must.</source>
            <translation>طلب {user} هذا الاستثناء ولا يمكنه البتّ فيه؛ ذلك لمعتمِد الزبون.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/blobs.py" line="83" />
            <source>{value} is not a SHA-256 hash.</source>
            <translation>{value} ليست بصمة SHA-256.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="297" />
            <source>{what} '{value}' is not a date (YYYY-MM-DD).</source>
            <translation>{what} «{value}» ليس تاريخًا (YYYY-MM-DD).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="157" />
            <source>{what} '{value}' is not a number.</source>
            <translation>{what} «{value}» ليس رقمًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="63" />
            <source>{what} '{value}' is not one of: {allowed}.</source>
            <translation>{what} «{value}» ليس من: {allowed}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="97" />
            <source>{what} {key} belongs to another site; it can only be changed there.</source>
            <translation>{what} {key} يخص موقعًا آخر؛ لا يمكن تعديله إلا هناك.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="49" />
            <source>{what} {key} does not exist.</source>
            <translation>{what} {key} غير موجود.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="88" />
            <source>{what} {key} was changed by {author} since you opened it; reopen it and retry.</source>
            <translation>غيّر {author} ‏{what} {key} منذ أن فتحته؛ أعد فتحه وحاول مجددًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="81" />
            <source>{what} {key} was edited at two sites; a person must merge the versions first.</source>
            <translation>عُدّل {what} {key} في موقعين؛ يجب أن يدمج شخص النسخ أولًا.</translation>
        </message>
    </context>
    <context>
        <name>Evidence</name>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="430" />
            <source>%GRR is {value} % of the tolerance, above 30 %: unacceptable; improve the measurement system.</source>
            <translation>%GRR يساوي {value} % من التفاوت، فوق 30 %: غير مقبول؛ حسّن نظام القياس.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="427" />
            <source>%GRR is {value} % of the tolerance, between 10 and 30 %: it may be acceptable depending on the application, with the customer's agreement.</source>
            <translation>%GRR يساوي {value} % من التفاوت، بين 10 و30 %: قد يكون مقبولًا حسب الاستعمال، بموافقة الزبون.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="424" />
            <source>%GRR is {value} % of the total variation, above 30 %: unacceptable; improve the measurement system.</source>
            <translation>%GRR يساوي {value} % من التغير الكلي، فوق 30 %: غير مقبول؛ حسّن نظام القياس.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="421" />
            <source>%GRR is {value} % of the total variation, between 10 and 30 %: it may be acceptable depending on the application, with the customer's agreement.</source>
            <translation>%GRR يساوي {value} % من التغير الكلي، بين 10 و30 %: قد يكون مقبولًا حسب الاستعمال، بموافقة الزبون.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/measurement_grid.py" line="110" />
            <source>'{value}' is neither OK nor NG.</source>
            <translation>«{value}» ليست مطابقة ولا غير مطابقة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/measurement_grid.py" line="112" />
            <source>'{value}' is not a number of defects (0, 1, 2 …).</source>
            <translation>«{value}» ليس عدداً للعيوب (0، 1، 2 …).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/measurement_grid.py" line="114" />
            <source>'{value}' is not a number.</source>
            <translation>«{value}» ليس رقمًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="85" />
            <source>Acceptable</source>
            <translation>مقبول</translation>
        </message>
        <message>
            <source>Acceptable (≥ 1.67)</source>
            <translation type="vanished">مقبول (≥ 1.67)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="293" />
            <source>All readings are equal: the spread is below the gauge resolution and the indices cannot be computed.</source>
            <translation>كل القراءات متساوية: التشتت أقل من دقة أداة القياس ولا يمكن حساب المؤشرات.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="147" />
            <source>Any nonconforming part fails a PPAP sample unless the customer agreed (a deviation).</source>
            <translation>أي قطعة غير مطابقة تُسقط عيّنة PPAP ما لم يوافق الزبون (استثناء).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="68" />
            <source>Appearance</source>
            <translation>المظهر</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="227" />
            <source>Appraiser {operator} agrees with the reference with kappa {kappa}, below 0.40: poor agreement.</source>
            <translation>يتوافق المقيّم {operator} مع المرجع بكابا قدره {kappa}، دون 0.40: توافق ضعيف.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="232" />
            <source>Appraiser {operator} agrees with the reference with kappa {kappa}, not above 0.75.</source>
            <translation>يتوافق المقيّم {operator} مع المرجع بكابا قدره {kappa}، لا يتجاوز 0.75.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="215" />
            <source>Appraiser {operator}: effectiveness {effectiveness} %, miss rate {miss} %, false alarm rate {false_alarm} %: marginally acceptable (90 %, 2 %, 5 % are acceptable); the customer must agree.</source>
            <translation>المقيّم {operator}: الفعالية {effectiveness} %، معدل الإخفاق {miss} %، معدل الإنذار الكاذب {false_alarm} %: مقبول بشكل هامشي (90 % و2 % و5 % مقبولة)؛ يجب أن يوافق الزبون.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="221" />
            <source>Appraiser {operator}: effectiveness {effectiveness} %, miss rate {miss} %, false alarm rate {false_alarm} %: unacceptable (at least 80 %, at most 5 % and 10 %).</source>
            <translation>المقيّم {operator}: الفعالية {effectiveness} %، معدل الإخفاق {miss} %، معدل الإنذار الكاذب {false_alarm} %: غير مقبول (80 % على الأقل، و5 % و10 % على الأكثر).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="167" />
            <source>Appraisers {first} and {second} agree with each other with kappa {kappa}, not above 0.75.</source>
            <translation>يتوافق المقيّمان {first} و{second} فيما بينهما بكابا قدره {kappa}، لا يتجاوز 0.75.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="40" />
            <source>Attribute (OK / NG)</source>
            <translation>وصفية (مطابق / غير مطابق)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="41" />
            <source>Attribute (defects per sample)</source>
            <translation>وصفية (عيوب لكل عيّنة)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="68" />
            <source>Attribute agreement</source>
            <translation>توافق السمات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="64" />
            <source>Capability study</source>
            <translation>دراسة القدرة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="191" />
            <source>Characteristic {number}: the file's limits ({file}) differ from this part's ({part}); the part's limits grade the readings.</source>
            <translation>الخاصية {number}: حدود الملف ({file}) تختلف عن حدود هذه القطعة ({part})؛ حدود القطعة هي التي تحكم على القراءات.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="204" />
            <source>Characteristic {number}: the gauge named in the file ({codes}, K0012) is not one gauge of the register; the characteristic's own gauge is recorded.</source>
            <translation>الخاصية {number}: أداة القياس المذكورة في الملف ({codes}، K0012) ليست أداة واحدة من السجل؛ تُسجَّل أداة القياس الخاصة بالخاصية.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="121" />
            <source>Characteristic {number}: {count} reading(s) that the measuring program excluded (K0002 255 or 256) are left out.</source>
            <translation>الخاصية {number}: استُبعدت {count} قراءة استبعدها برنامج القياس (K0002 ‏255 أو 256).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="95" />
            <source>Conforming</source>
            <translation>مطابق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="32" />
            <source>Critical (CC)</source>
            <translation>حرجة (CC)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="63" />
            <source>Dimensional</source>
            <translation>بُعدي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="112" />
            <source>Drawing</source>
            <translation>رسم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="67" />
            <source>Durability</source>
            <translation>المتانة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="217" />
            <source>Equipment (repeatability)</source>
            <translation>المعدّات (قابلية التكرار)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="81" />
            <source>External laboratory</source>
            <translation>مختبر خارجي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="46" />
            <source>Fail</source>
            <translation>غير مقبول</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="67" />
            <source>Gauge R&amp;R (ANOVA)</source>
            <translation>دراسة R&amp;R (ANOVA)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="343" />
            <source>Gauge {code} was not in calibration on {day} (due {due}): characteristic {number} is marked for an impact assessment (IATF 16949 7.1.5.2.1).</source>
            <translation>لم تكن أداة القياس {code} ضمن صلاحية المعايرة في {day} (موعد المعايرة {due}): عُلّمت الخاصية {number} لتقييم الأثر (IATF 16949 7.1.5.2.1).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="80" />
            <source>Internal laboratory</source>
            <translation>مختبر داخلي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="65" />
            <source>Material</source>
            <translation>المادة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="113" />
            <source>Material certificate EN 10204 2.1</source>
            <translation>شهادة المادة EN 10204 2.1</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="114" />
            <source>Material certificate EN 10204 2.2</source>
            <translation>شهادة المادة EN 10204 2.2</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="115" />
            <source>Material certificate EN 10204 3.1</source>
            <translation>شهادة المادة EN 10204 3.1</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="116" />
            <source>Material certificate EN 10204 3.2</source>
            <translation>شهادة المادة EN 10204 3.2</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="86" />
            <source>May be acceptable (customer agreement)</source>
            <translation>قد يكون مقبولًا (بموافقة الزبون)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="65" />
            <source>Meets (&gt; 1.67)</source>
            <translation>مستوفٍ (&gt; 1.67)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="63" />
            <source>Needs customer agreement (1.33 to 1.67)</source>
            <translation>يتطلب موافقة الزبون (1.33 إلى 1.67)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="47" />
            <source>No data</source>
            <translation>لا توجد بيانات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="62" />
            <source>Not acceptable (&lt; 1.33)</source>
            <translation>غير مقبول (&lt; 1.33)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="96" />
            <source>Not conforming</source>
            <translation>غير مطابق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="94" />
            <source>Not stated</source>
            <translation>غير مذكور</translation>
        </message>
        <message>
            <source>One-sided limit: Cp and Pp do not exist; Cpk and Ppk use the one side.</source>
            <translation type="vanished">حد من جهة واحدة: لا وجود لـ Cp وPp؛ يستخدم Cpk وPpk الجهة الوحيدة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="280" />
            <source>One-sided limit: Cp and Pp do not exist; Cpk and Ppk use the one side. The acceptance bands are written for two-sided limits: agree the criteria with the customer.</source>
            <translation>حد من جهة واحدة: لا وجود لـ Cp وPp؛ يستعمل Cpk وPpk الجهة الوحيدة. حدود القبول مكتوبة لحدّين: اتفق على المعايير مع الزبون.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="267" />
            <source>Only {n} readings: capability needs at least {min} (about {wanted} wanted), so these indices are indicative only.</source>
            <translation>{n} قراءة فقط: تحتاج القدرة إلى {min} على الأقل (يُستحسن نحو {wanted})، لذا فهذه المؤشرات إرشادية فقط.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="214" />
            <source>Operators</source>
            <translation>المشغّلون</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="216" />
            <source>Operators × parts</source>
            <translation>المشغّلون × القطع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="119" />
            <location filename="../../desktop_app/domain/evidence.py" line="70" />
            <source>Other</source>
            <translation>أخرى</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/measurement_grid.py" line="212" />
            <source>Outside the limits {limits}</source>
            <translation>خارج الحدود {limits}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="215" />
            <source>Parts</source>
            <translation>القطع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="45" />
            <source>Pass</source>
            <translation>مقبول</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="66" />
            <source>Performance</source>
            <translation>الأداء</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="118" />
            <source>Photo</source>
            <translation>صورة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="323" />
            <source>Ppk {ppk} is above 1.67: the acceptance criterion is met.</source>
            <translation>قيمة Ppk {ppk} أعلى من 1.67: معيار القبول مستوفى.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="317" />
            <source>Ppk {ppk} is below 1.33: not acceptable without a deviation agreed with the customer.</source>
            <translation>قيمة Ppk {ppk} أقل من 1.33: غير مقبولة دون استثناء متفق عليه مع الزبون.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="320" />
            <source>Ppk {ppk} is between 1.33 and 1.67: acceptable only with the customer's agreement.</source>
            <translation>قيمة Ppk {ppk} بين 1.33 و1.67: مقبولة فقط بموافقة الزبون.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="297" />
            <source>Process not stable: points beyond the control limits of the {chart} chart: {count}. Capability does not predict an unstable process, so Cpk is not reported: remove the special causes or agree with the customer.</source>
            <translation>العملية غير مستقرة: النقاط خارج حدود المراقبة لخريطة {chart}: {count}. القدرة لا تتنبأ بعملية غير مستقرة، لذا لا تُذكر Cpk: أزل الأسباب الخاصة أو اتفق مع الزبون.</translation>
        </message>
        <message>
            <source>Process not stable: {count} point(s) beyond the control limits of the {chart} chart. Capability does not predict an unstable process, so Cpk is not reported: remove the special causes or agree with the customer.</source>
            <translation type="vanished">العملية غير مستقرة: {count} نقطة خارج حدود المراقبة لخريطة {chart}. القدرة لا تتنبأ بعملية غير مستقرة، لذا لا تُذكر Cpk: أزل الأسباب الخاصة أو اتفق مع الزبون.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="69" />
            <source>Salt spray</source>
            <translation>رذاذ ملحي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/measurement_grid.py" line="241" />
            <source>Sample {row}, characteristic {number}: '{value}' is not a number.</source>
            <translation>العينة {row}، الخاصية {number}: «{value}» ليس رقمًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/measurement_grid.py" line="230" />
            <source>Sample {row}, characteristic {number}: {sentence}</source>
            <translation>العيّنة {row}، الخاصية {number}: {sentence}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="33" />
            <source>Significant (SC)</source>
            <translation>هامة (SC)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="34" />
            <source>Standard</source>
            <translation>عادية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="117" />
            <source>Test report</source>
            <translation>تقرير اختبار</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/laboratories.py" line="105" />
            <source>The ISO/IEC 17025 accreditation {accreditation} of {laboratory} expired on {expired}, before this test: the report cannot stand as qualified laboratory documentation (PPAP element 12).</source>
            <translation>انتهى اعتماد ISO/IEC 17025 رقم {accreditation} للمخبر {laboratory} في {expired}، قبل هذا الاختبار: لا يصلح التقرير وثيقةَ مخبر مؤهل (عنصر PPAP رقم 12).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="253" />
            <source>The external laboratory has no ISO/IEC 17025 accreditation reference; PPAP element 12 asks for one.</source>
            <translation>ليس للمختبر الخارجي مرجع اعتماد ISO/IEC 17025؛ يتطلبه العنصر 12 من PPAP.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="220" />
            <source>The file is for part {file} (K1001), not {part}: check that it is the right file.</source>
            <translation>الملف خاص بالقطعة {file} (K1001)، وليس {part}: تحقّق من أنه الملف الصحيح.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="448" />
            <source>The measurement system tells {ndc} distinct categories of parts apart; at least 5 are required: unacceptable.</source>
            <translation>يميّز نظام القياس {ndc} فئات متمايزة من القطع؛ يلزم 5 على الأقل: غير مقبول.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="395" />
            <source>The operator × part interaction is not significant (p = {p}, above 0.25): it is pooled into the repeatability.</source>
            <translation>التفاعل مشغّل × قطعة غير دال (p = {p}، فوق 0.25): يُدمج في قابلية التكرار.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="304" />
            <source>The readings do not look normally distributed (Anderson-Darling A² = {a2}, p = {p}): the indices assume a normal distribution; agree the criteria with the customer.</source>
            <translation>لا تبدو القراءات موزعة توزيعاً طبيعياً (Anderson-Darling A² = {a2}، p = {p}): تفترض المؤشرات توزيعاً طبيعياً؛ اتفق على المعايير مع الزبون.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="218" />
            <source>Total</source>
            <translation>المجموع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="88" />
            <source>Unacceptable</source>
            <translation>غير مقبول</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="39" />
            <source>Variable (measured)</source>
            <translation>متغيرة (مقيسة)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="143" />
            <source>{c} defects (u = {u} per unit)</source>
            <translation>{c} عيب (u = {u} لكل وحدة)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="273" />
            <source>{n} readings in {subgroups} subgroups: a preliminary study wants at least {wanted} readings from {groups} subgroups; the customer must agree to the smaller study.</source>
            <translation>{n} قراءة في {subgroups} مجموعة فرعية: الدراسة الأولية تتطلب {wanted} قراءة على الأقل من {groups} مجموعة فرعية؛ يجب أن يوافق الزبون على الدراسة الأصغر.</translation>
        </message>
        <message>
            <source>{n} readings: enough for an estimate; about {wanted} are wanted.</source>
            <translation type="vanished">{n} قراءة: تكفي لتقدير؛ يُستحسن نحو {wanted}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="139" />
            <source>{n} samples: {np} nonconforming (np = {np}, p = {p})</source>
            <translation>{n} عيّنة: {np} غير مطابقة (np = {np}، p = {p})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/laboratories.py" line="112" />
            <source>{standard} is outside the ISO/IEC 17025 accreditation scope of {laboratory}.</source>
            <translation>{standard} خارج نطاق اعتماد ISO/IEC 17025 للمخبر {laboratory}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/measurement_grid.py" line="377" />
            <source>{value} is outside the limits of characteristic {number} ({limits}).</source>
            <translation>{value} خارج حدود الخاصية {number} ({limits}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="92" />
            <source>σ within from the average moving range (MR̄ / 1.128)</source>
            <translation>σ الداخلي من متوسط المدى المتحرك (MR̄ / 1.128)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="94" />
            <source>σ within from the average subgroup range (R̄ / d2)</source>
            <translation>σ الداخلي من متوسط مدى المجموعات الفرعية (R̄ / d2)</translation>
        </message>
    </context>
    <context>
        <name>EvidenceCharacteristicsWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="86" />
            <source>Add characteristic…</source>
            <translation>إضافة خاصية…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="92" />
            <source>Capability</source>
            <translation>القدرة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="88" />
            <source>Change…</source>
            <translation>تعديل…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="91" />
            <source>Class</source>
            <translation>الصنف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="90" />
            <source>Description</source>
            <translation>الوصف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="127" />
            <source>Edited at two sites: a person must merge the versions.</source>
            <translation>عُدّلت في موقعين: يجب أن يدمج شخص النسخ.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="91" />
            <source>Gauge</source>
            <translation>أداة القياس</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="87" />
            <source>Import characteristics…</source>
            <translation>استيراد الخصائص…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="91" />
            <source>Latest result</source>
            <translation>آخر نتيجة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="90" />
            <source>Limits</source>
            <translation>الحدود</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="149" />
            <source>No readings</source>
            <translation>لا توجد قراءات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="90" />
            <source>No.</source>
            <translation>رقم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="90" />
            <source>Nominal</source>
            <translation>القيمة الاسمية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="152" />
            <source>Not computable</source>
            <translation>غير قابل للحساب</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="147" />
            <source>Only {n} readings (30 needed)</source>
            <translation>{n} قراءة فقط (المطلوب 30)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="92" />
            <source>Ppk</source>
            <translation>Ppk</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="91" />
            <source>Unit</source>
            <translation>الوحدة</translation>
        </message>
    </context>
    <context>
        <name>EvidenceFilesWidget</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="238" />
            <source>%Ln files attached.</source>
            <translation>
                <numerusform>أُرفق %Ln ملف.</numerusform>
                <numerusform>أُرفق ملف واحد.</numerusform>
                <numerusform>أُرفق ملفان.</numerusform>
                <numerusform>أُرفق %Ln ملفات.</numerusform>
                <numerusform>أُرفق %Ln ملفًا.</numerusform>
                <numerusform>أُرفق %Ln ملف.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="197" />
            <source>Attach files</source>
            <translation>إرفاق ملفات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="127" />
            <source>Attach files…</source>
            <translation>إرفاق ملفات…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="157" />
            <source>Attach to report {number}</source>
            <translation>إرفاق بالتقرير {number}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="155" />
            <source>Attach to the part</source>
            <translation>إرفاق بالقطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="142" />
            <source>Attached</source>
            <translation>تاريخ الإرفاق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="228" />
            <source>Attaching files</source>
            <translation>جارٍ إرفاق الملفات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="132" />
            <source>Drop files here to attach them (PDF, PNG, JPEG, TIFF, CSV, XLSX, TXT, DXF, STEP).</source>
            <translation>أفلت الملفات هنا لإرفاقها (PDF، PNG، JPEG، TIFF، CSV، XLSX، TXT، DXF، STEP).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="141" />
            <source>File</source>
            <translation>الملف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="141" />
            <source>Kind</source>
            <translation>النوع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="135" />
            <source>Kind: automatic (photo for images)</source>
            <translation>النوع: تلقائي (صورة للصور)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="128" />
            <source>Open</source>
            <translation>فتح</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="141" />
            <source>Report</source>
            <translation>التقرير</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="142" />
            <source>SHA-256</source>
            <translation>SHA-256</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="288" />
            <source>Save a copy</source>
            <translation>حفظ نسخة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="129" />
            <source>Save a copy…</source>
            <translation>حفظ نسخة…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="299" />
            <source>Saved {path}</source>
            <translation>تم الحفظ في {path}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="141" />
            <source>Size</source>
            <translation>الحجم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="308" />
            <source>Why is {name} withdrawn? (The record keeps its history.)</source>
            <translation>لماذا يُسحب {name}؟ (يحتفظ السجل بتاريخه.)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="307" />
            <source>Withdraw a file</source>
            <translation>سحب ملف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="130" />
            <source>Withdraw…</source>
            <translation>سحب…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="319" />
            <source>{name} was withdrawn.</source>
            <translation>سُحب {name}.</translation>
        </message>
        <message>
            <source>{n} file(s) attached.</source>
            <translation type="vanished">أُرفق {n} ملف.</translation>
        </message>
    </context>
    <context>
        <name>EvidenceImportDialog</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="277" />
            <source>%Ln characteristics</source>
            <translation>
                <numerusform>%Ln خاصية</numerusform>
                <numerusform>خاصية واحدة</numerusform>
                <numerusform>خاصيتان</numerusform>
                <numerusform>%Ln خصائص</numerusform>
                <numerusform>%Ln خاصية</numerusform>
                <numerusform>%Ln خاصية</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="288" />
            <source>%Ln characteristics would be added.</source>
            <translation>
                <numerusform>ستُضاف %Ln خاصية.</numerusform>
                <numerusform>ستُضاف خاصية واحدة.</numerusform>
                <numerusform>ستُضاف خاصيتان.</numerusform>
                <numerusform>ستُضاف %Ln خصائص.</numerusform>
                <numerusform>ستُضاف %Ln خاصية.</numerusform>
                <numerusform>ستُضاف %Ln خاصية.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="276" />
            <source>%Ln readings</source>
            <translation>
                <numerusform>%Ln قراءة</numerusform>
                <numerusform>قراءة واحدة</numerusform>
                <numerusform>قراءتان</numerusform>
                <numerusform>%Ln قراءات</numerusform>
                <numerusform>%Ln قراءة</numerusform>
                <numerusform>%Ln قراءة</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="191" />
            <source>(automatic)</source>
            <translation>(تلقائي)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="192" />
            <source>(not in the file)</source>
            <translation>(غير موجود في الملف)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="388" />
            <source>(the file)</source>
            <translation>(الملف)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="213" />
            <source>AQDEF (*.dfq *.dfd *.dfx)</source>
            <translation>AQDEF (*.dfq *.dfd *.dfx)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="149" />
            <source>Apply</source>
            <translation>تطبيق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="177" />
            <source>Characteristic</source>
            <translation>الخاصية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="268" />
            <source>Characteristic {number} is not on this part.</source>
            <translation>الخاصية {number} ليست من خصائص هذه القطعة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="146" />
            <source>Choose a file…</source>
            <translation>اختيار ملف…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="229" />
            <source>Choose the description (.dfd) of {name}</source>
            <translation>اختر الوصف (‎.dfd) الخاص بـ {name}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="226" />
            <source>Choose the values (.dfx) of {name}</source>
            <translation>اختر القيم (‎.dfx) الخاصة بـ {name}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="397" />
            <source>Chosen by hand</source>
            <translation>مختار يدويًا</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="284" />
            <source>Class</source>
            <translation>الصنف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="176" />
            <source>Class (CC / SC)</source>
            <translation>الصنف (CC / SC)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="172" />
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="270" />
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="283" />
            <source>Description</source>
            <translation>الوصف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="396" />
            <source>Found by its column names</source>
            <translation>عُثر عليه بأسماء أعمدته</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="177" />
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="178" />
            <source>Gauge</source>
            <translation>أداة القياس</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="148" />
            <source>Header row:</source>
            <translation>صف العناوين:</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="291" />
            <source>Ignored columns: {names}</source>
            <translation>أعمدة متجاهَلة: {names}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="144" />
            <source>Import characteristics</source>
            <translation>استيراد الخصائص</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="145" />
            <source>Import measurements</source>
            <translation>استيراد القياسات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="284" />
            <source>Limits</source>
            <translation>الحدود</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="282" />
            <source>Line</source>
            <translation>السطر</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="174" />
            <source>Lower limit</source>
            <translation>الحد الأدنى</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="173" />
            <source>Lower tolerance</source>
            <translation>التفاوت الأدنى</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="176" />
            <source>Measuring method</source>
            <translation>طريقة القياس</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="397" />
            <source>No header row found</source>
            <translation>لم يُعثر على صف العناوين</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="270" />
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="283" />
            <source>No.</source>
            <translation>رقم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="173" />
            <source>Nominal</source>
            <translation>القيمة الاسمية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="172" />
            <source>Number (balloon)</source>
            <translation>الرقم (الفقاعة)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="347" />
            <source>Operators: {names}</source>
            <translation>المشغّلون: {names}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="271" />
            <source>Outside the limits</source>
            <translation>خارج الحدود</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="178" />
            <source>Reading</source>
            <translation>القراءة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="239" />
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="418" />
            <source>Reading {name}</source>
            <translation>جارٍ قراءة {name}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="270" />
            <source>Readings</source>
            <translation>القراءات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="344" />
            <source>Readings taken from {first} to {last}.</source>
            <translation>أُخذت القراءات من {first} إلى {last}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="342" />
            <source>Readings taken on {day}.</source>
            <translation>أُخذت القراءات في {day}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="164" />
            <source>Report type</source>
            <translation>نوع التقرير</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="282" />
            <source>Row</source>
            <translation>الصف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="147" />
            <source>Sheet:</source>
            <translation>الورقة:</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="166" />
            <source>Standard</source>
            <translation>المعيار</translation>
        </message>
        <message>
            <source>Tables (*.csv *.xlsx *.txt)</source>
            <translation type="vanished">الجداول (*.csv *.xlsx *.txt)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="212" />
            <source>Tables (*.csv *.xlsx *.xls *.ods *.txt)</source>
            <translation>جداول (*.csv *.xlsx *.xls *.ods *.txt)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="165" />
            <source>Tested on</source>
            <translation>تاريخ الاختبار</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="175" />
            <source>Unit</source>
            <translation>الوحدة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="175" />
            <source>Upper limit</source>
            <translation>الحد الأعلى</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="174" />
            <source>Upper tolerance</source>
            <translation>التفاوت الأعلى</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="271" />
            <source>Verdict</source>
            <translation>الحكم</translation>
        </message>
        <message>
            <source>{n} characteristics would be added.</source>
            <translation type="vanished">ستُضاف {n} خاصية.</translation>
        </message>
        <message>
            <source>{n} readings of {c} characteristics ({shape} layout).</source>
            <translation type="vanished">{n} قراءة لـ {c} خاصية (تخطيط {shape}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="275" />
            <source>{readings} of {characteristics} ({shape} layout).</source>
            <translation>{readings} لـ {characteristics} (تخطيط {shape}).</translation>
        </message>
    </context>
    <context>
        <name>EvidenceWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="308" />
            <source>#{number} {description}: {counts}</source>
            <translation>رقم {number} {description}: {counts}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="319" />
            <source>#{number}: gauge {gauge} was past its calibration due date ({due}) on {day}; an impact assessment is needed (IATF 16949 7.1.5.2.1).</source>
            <translation>رقم {number}: كانت أداة القياس {gauge} قد تجاوزت موعد معايرتها ({due}) في {day}؛ يلزم تقييم الأثر (IATF 16949 7.1.5.2.1).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="212" />
            <source>Characteristics</source>
            <translation>الخصائص</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="215" />
            <source>Correct this report…</source>
            <translation>تصحيح هذا التقرير…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="314" />
            <source>Corrects an earlier report: {reason}</source>
            <translation>يصحّح تقريرًا سابقًا: {reason}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="252" />
            <source>Current</source>
            <translation>ساري</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="207" />
            <source>Evidence</source>
            <translation>الأدلة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="211" />
            <source>Files</source>
            <translation>الملفات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="214" />
            <source>Import measurements…</source>
            <translation>استيراد القياسات…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="213" />
            <source>New report…</source>
            <translation>تقرير جديد…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="217" />
            <source>Number</source>
            <translation>الرقم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="210" />
            <source>Reports</source>
            <translation>التقارير</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="217" />
            <source>Standard</source>
            <translation>المعيار</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="218" />
            <source>Status</source>
            <translation>الوضع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="252" />
            <source>Superseded</source>
            <translation>مستبدَل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="312" />
            <source>Superseded by a correction; kept as recorded.</source>
            <translation>استُبدل بتصحيح؛ محفوظ كما سُجّل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="217" />
            <source>Tested on</source>
            <translation>تاريخ الاختبار</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="217" />
            <source>Type</source>
            <translation>النوع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="218" />
            <source>Verdict</source>
            <translation>الحكم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="254" />
            <source>gauge out of calibration</source>
            <translation>أداة قياس خارج المعايرة</translation>
        </message>
    </context>
    <context>
        <name>ExportDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="101" />
            <source>Any site: everything</source>
            <translation>أي موقع: كل شيء</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="98" />
            <source>Choose…</source>
            <translation>اختيار…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="97" />
            <source>Everything, even what the site has already seen</source>
            <translation>كل شيء، حتى ما سبق للموقع أن استلمه</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="127" />
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="94" />
            <source>Export a package</source>
            <translation>تصدير حزمة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="96" />
            <source>File</source>
            <translation>الملف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="95" />
            <source>For</source>
            <translation>إلى</translation>
        </message>
        <message>
            <source>PartDesk packages (*.partdesk *.zip)</source>
            <translation type="vanished">حزم PartDesk (*.partdesk *.zip)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="129" />
            <source>PartDesk packages (*.partdesk *.zip);;All files (*)</source>
            <translation>حزم PartDesk ‏(*.partdesk *.zip);;كل الملفات (*)</translation>
        </message>
    </context>
    <context>
        <name>Families</name>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="54" />
            <source>Battery</source>
            <translation>البطاريات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="44" />
            <source>Body stamping</source>
            <translation>كبس الهيكل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="46" />
            <source>Casting</source>
            <translation>السباكة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="48" />
            <source>Fastener</source>
            <translation>عناصر التثبيت</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="47" />
            <source>Forging</source>
            <translation>الطرق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="49" />
            <source>Glass</source>
            <translation>الزجاج</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="52" />
            <source>Harness</source>
            <translation>ضفائر الأسلاك</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="55" />
            <source>Other</source>
            <translation>أخرى</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="50" />
            <source>Plastic trim</source>
            <translation>الكسوة البلاستيكية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="51" />
            <source>Seat</source>
            <translation>المقاعد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="53" />
            <source>Tyre</source>
            <translation>الإطارات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="45" />
            <source>Welded assembly</source>
            <translation>التجميعات الملحومة</translation>
        </message>
    </context>
    <context>
        <name>FilterBanner</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/filter_banner.py" line="59" />
            <source>(shown: {n})</source>
            <translation>(المعروض: {n})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/filter_banner.py" line="53" />
            <source>Back to dashboard</source>
            <translation>العودة إلى لوحة المتابعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/filter_banner.py" line="52" />
            <source>Show all</source>
            <translation>عرض الكل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/filter_banner.py" line="57" />
            <source>Showing only: {filter}</source>
            <translation>المعروض فقط: {filter}</translation>
        </message>
    </context>
    <context>
        <name>FirstRunDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="199" />
            <source>Continue</source>
            <translation>متابعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="198" />
            <source>Create</source>
            <translation>إنشاء</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="192" />
            <source>First administrator</source>
            <translation>المسؤول الأول</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="194" />
            <source>Full name</source>
            <translation>الاسم الكامل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="188" />
            <source>Kind of site</source>
            <translation>نوع الموقع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="202" />
            <source>Other sites enrol this site's key by this fingerprint: read it to their administrator by telephone or in person, never only by e-mail.</source>
            <translation>تسجّل المواقع الأخرى مفتاح هذا الموقع بهذه البصمة: اقرأها لمسؤولها عبر الهاتف أو شخصيًا، وليس عبر البريد الإلكتروني وحده أبدًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="178" />
            <source>PartDesk — First start</source>
            <translation>PartDesk — التشغيل الأول</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="195" />
            <source>Password</source>
            <translation>كلمة المرور</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="200" />
            <source>Quit</source>
            <translation>خروج</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="196" />
            <source>Repeat the password</source>
            <translation>أعد كتابة كلمة المرور</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="179" />
            <source>Set up this data folder</source>
            <translation>إعداد مجلد البيانات هذا</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="184" />
            <source>Site</source>
            <translation>الموقع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="185" />
            <source>Site code</source>
            <translation>رمز الموقع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="187" />
            <source>Site name</source>
            <translation>اسم الموقع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="205" />
            <source>Site {code} — {name} is ready. Its key fingerprint:</source>
            <translation>الموقع {code} — {name} جاهز. بصمة مفتاحه:</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="180" />
            <source>This data folder is ready</source>
            <translation>مجلد البيانات هذا جاهز</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="182" />
            <source>This folder has no site yet. Name the site that works here and its first administrator; the administrator then adds the other people.</source>
            <translation>لا يحتوي هذا المجلد على موقع بعد. سمِّ الموقع الذي يعمل هنا ومسؤوله الأول؛ ثم يضيف المسؤول الأشخاص الآخرين.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="193" />
            <source>User name</source>
            <translation>اسم المستخدم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="186" />
            <source>e.g. MSR</source>
            <translation>مثلًا MSR</translation>
        </message>
    </context>
    <context>
        <name>GaugeDialog</name>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="92" />
            <source>Add a gauge</source>
            <translation>إضافة أداة قياس</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="96" />
            <source>Calibrated on</source>
            <translation>تاريخ المعايرة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="96" />
            <source>Calibration due on</source>
            <translation>موعد المعايرة القادمة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="95" />
            <source>Identifier</source>
            <translation>المعرّف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="95" />
            <source>Range</source>
            <translation>مجال القياس</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="93" />
            <source>Record a calibration</source>
            <translation>تسجيل معايرة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="95" />
            <source>Resolution</source>
            <translation>الدقة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="95" />
            <source>Type</source>
            <translation>النوع</translation>
        </message>
    </context>
    <context>
        <name>GaugesPage</name>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="189" />
            <source>Add gauge…</source>
            <translation>إضافة أداة قياس…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="193" />
            <source>Calibrated on</source>
            <translation>تاريخ المعايرة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="193" />
            <source>Due on</source>
            <translation>موعد المعايرة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="137" />
            <source>Gauges</source>
            <translation>أدوات القياس</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="187" />
            <source>Gauges register</source>
            <translation>سجل أدوات القياس</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="192" />
            <source>Identifier</source>
            <translation>المعرّف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="223" />
            <source>In calibration</source>
            <translation>ضمن صلاحية المعايرة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="157" />
            <source>No gauge matches this search.</source>
            <translation>لا توجد أداة قياس تطابق هذا البحث.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="158" />
            <source>No gauge registered yet: add one with “Add gauge…”.</source>
            <translation>لا توجد أداة قياس مسجلة بعد: أضف أداة عبر «إضافة أداة قياس…».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="223" />
            <source>Overdue</source>
            <translation>متأخرة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="233" />
            <source>Past its calibration due date: results taken with it need an impact assessment.</source>
            <translation>تجاوزت موعد معايرتها: تحتاج النتائج المأخوذة بها إلى تقييم الأثر.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="192" />
            <source>Range</source>
            <translation>مجال القياس</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="190" />
            <source>Record calibration…</source>
            <translation>تسجيل معايرة…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="192" />
            <source>Resolution</source>
            <translation>الدقة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="188" />
            <source>Search by identifier or type</source>
            <translation>البحث بالمعرّف أو النوع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="193" />
            <source>Status</source>
            <translation>الوضع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="192" />
            <source>Type</source>
            <translation>النوع</translation>
        </message>
    </context>
    <context>
        <name>HistogramWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/histogram_widget.py" line="80" />
            <source>Choose a characteristic to see its readings.</source>
            <translation>اختر خاصية لعرض قراءاتها.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/histogram_widget.py" line="205" />
            <source>LSL {value}</source>
            <translation>LSL {value}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/histogram_widget.py" line="214" />
            <source>Mean {value}</source>
            <translation>المتوسط {value}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/histogram_widget.py" line="211" />
            <source>Nominal {value}</source>
            <translation>القيمة الاسمية {value}</translation>
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
            <translation>n = {n}   المتوسط {mean}   Cpk {cpk}   Ppk {ppk}</translation>
        </message>
    </context>
    <context>
        <name>HistoryWidget</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="112" />
            <source>%Ln revisions</source>
            <translation>
                <numerusform>%Ln مراجعة</numerusform>
                <numerusform>مراجعة واحدة</numerusform>
                <numerusform>مراجعتان</numerusform>
                <numerusform>%Ln مراجعات</numerusform>
                <numerusform>%Ln مراجعة</numerusform>
                <numerusform>%Ln مراجعة</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="94" />
            <source>Deleted: {reason}</source>
            <translation>حُذف: {reason}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="82" />
            <source>Loading…</source>
            <translation>جارٍ التحميل…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="96" />
            <source>Merged: {reason}</source>
            <translation>دُمج: {reason}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="71" />
            <source>Site / new value</source>
            <translation>الموقع / القيمة الجديدة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="70" />
            <source>When / field</source>
            <translation>التاريخ / الحقل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="70" />
            <source>Who / old value</source>
            <translation>الشخص / القيمة القديمة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="71" />
            <source>Why</source>
            <translation>السبب</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="31" />
            <source>no</source>
            <translation>لا</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="31" />
            <source>yes</source>
            <translation>نعم</translation>
        </message>
        <message>
            <source>{count} revisions</source>
            <translation type="vanished">{count} مراجعة</translation>
        </message>
    </context>
    <context>
        <name>ImportPreviewDialog</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="189" />
            <source>%Ln revisions compete with edits made here; the records will wait for a merge.</source>
            <translation>
                <numerusform>تتعارض %Ln مراجعة مع تعديلات أُجريت هنا؛ ستنتظر السجلات الدمج.</numerusform>
                <numerusform>تتعارض مراجعة واحدة مع تعديلات أُجريت هنا؛ ستنتظر السجلات الدمج.</numerusform>
                <numerusform>تتعارض مراجعتان مع تعديلات أُجريت هنا؛ ستنتظر السجلات الدمج.</numerusform>
                <numerusform>تتعارض %Ln مراجعات مع تعديلات أُجريت هنا؛ ستنتظر السجلات الدمج.</numerusform>
                <numerusform>تتعارض %Ln مراجعة مع تعديلات أُجريت هنا؛ ستنتظر السجلات الدمج.</numerusform>
                <numerusform>تتعارض %Ln مراجعة مع تعديلات أُجريت هنا؛ ستنتظر السجلات الدمج.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="174" />
            <source>Already here</source>
            <translation>موجودة هنا</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="174" />
            <source>Conflicting</source>
            <translation>متعارضة</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="194" />
            <source>Import %Ln new revisions</source>
            <translation>
                <numerusform>استيراد %Ln مراجعة جديدة</numerusform>
                <numerusform>استيراد مراجعة جديدة واحدة</numerusform>
                <numerusform>استيراد مراجعتان جديدتان</numerusform>
                <numerusform>استيراد %Ln مراجعات جديدة</numerusform>
                <numerusform>استيراد %Ln مراجعة جديدة</numerusform>
                <numerusform>استيراد %Ln مراجعة جديدة</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="172" />
            <source>Import a package</source>
            <translation>استيراد حزمة</translation>
        </message>
        <message>
            <source>Import {n} new revisions</source>
            <translation type="vanished">استيراد {n} مراجعة جديدة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="185" />
            <source>It is older than the last package from this site ({last}); only what is missing will be added.</source>
            <translation>إنها أقدم من آخر حزمة من هذا الموقع ({last})؛ لن يُضاف إلا ما هو ناقص.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="173" />
            <source>New</source>
            <translation>جديدة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="176" />
            <source>Package {seq} from {code} ({name}), made {at}. The signature and every file were checked. Files: {new_blobs} new of {blobs}.</source>
            <translation>الحزمة {seq} من {code} ({name})، أُعدّت في {at}. تم التحقق من التوقيع ومن كل ملف. الملفات: {new_blobs} جديدة من {blobs}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="173" />
            <source>Record type</source>
            <translation>نوع السجل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="182" />
            <source>This package is already known here (imported before, or made here); importing it changes nothing.</source>
            <translation>هذه الحزمة معروفة هنا بالفعل (استُوردت من قبل أو أُعدّت هنا)؛ استيرادها لا يغيّر شيئًا.</translation>
        </message>
        <message>
            <source>{n} revisions compete with edits made here; the records will wait for a merge.</source>
            <translation type="vanished">تتعارض {n} مراجعة مع تعديلات أُجريت هنا؛ ستنتظر السجلات الدمج.</translation>
        </message>
    </context>
    <context>
        <name>Integration</name>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="37" />
            <source>Accessory</source>
            <translation>ملحق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="195" />
            <source>At risk</source>
            <translation>معرّض للخطر</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="197" />
            <source>Frozen</source>
            <translation>مجمَّد</translation>
        </message>
        <message>
            <source>Grace period (supply cut by 25 %)</source>
            <translation type="vanished">فترة السماح (تخفيض التموين بنسبة 25 %)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="196" />
            <source>Grace period (supply cut)</source>
            <translation>المهلة الإضافية (تخفيض التموين)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="194" />
            <source>On track</source>
            <translation>يسير وفق الخطة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="35" />
            <source>Set</source>
            <translation>مجموعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="36" />
            <source>Sub-set</source>
            <translation>مجموعة فرعية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="57" />
            <source>counts: approved and in series supply</source>
            <translation>محتسبة: معتمدة وفي التوريد التسلسلي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="58" />
            <source>no local part linked</source>
            <translation>لا توجد قطعة محلية مرتبطة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="59" />
            <source>no valid approval</source>
            <translation>لا يوجد اعتماد ساري</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="61" />
            <source>series supply not started</source>
            <translation>لم يبدأ التوريد التسلسلي</translation>
        </message>
    </context>
    <context>
        <name>Laboratories</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="242" />
            <source>Accreditation</source>
            <translation>الاعتماد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="106" />
            <source>Accreditation body</source>
            <translation>هيئة الاعتماد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="321" />
            <source>Add a laboratory…</source>
            <translation>إضافة مخبر…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="262" />
            <source>Co-signed by (3.2)</source>
            <translation>موقَّع أيضاً من (3.2)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="180" />
            <source>Co-signed by (purchaser's representative or regulatory inspector)</source>
            <translation>موقَّع أيضاً من (ممثل المشتري أو المفتش التنظيمي)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="42" />
            <source>Declaration of compliance with the order</source>
            <translation>شهادة المطابقة للطلبية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="257" />
            <source>Designation (EN 10204, French)</source>
            <translation>التسمية (EN 10204، بالفرنسية)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="256" />
            <source>EN 10204 document</source>
            <translation>وثيقة EN 10204</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="175" />
            <source>EN 10204 inspection document</source>
            <translation>وثيقة فحص EN 10204</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="323" />
            <source>EN 10204 inspection documents</source>
            <translation>وثائق فحص EN 10204</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="59" />
            <source>Expired</source>
            <translation>منتهي الصلاحية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="61" />
            <source>Expires within 60 days</source>
            <translation>ينتهي خلال 60 يوماً</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="177" />
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="259" />
            <source>Heat number</source>
            <translation>رقم الصبّة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="107" />
            <source>ISO/IEC 17025 accreditation number</source>
            <translation>رقم اعتماد ISO/IEC 17025</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="45" />
            <source>Inspection certificate 3.1</source>
            <translation>شهادة استلام 3.1</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="46" />
            <source>Inspection certificate 3.2</source>
            <translation>شهادة استلام 3.2</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="260" />
            <source>Inspection representative</source>
            <translation>ممثل الفحص</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="241" />
            <source>Laboratory</source>
            <translation>المخبر</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="105" />
            <source>Laboratory (as named on its reports)</source>
            <translation>المخبر (كما يُسمّى في تقاريره)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="104" />
            <source>Laboratory accreditation</source>
            <translation>اعتماد المخبر</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="178" />
            <source>Manufacturer's authorised inspection representative</source>
            <translation>ممثل الفحص المعتمد لدى المصنّع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="57" />
            <source>Not accredited</source>
            <translation>غير معتمد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="324" />
            <source>Record an inspection document…</source>
            <translation>تسجيل وثيقة فحص…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="322" />
            <source>Renew the accreditation…</source>
            <translation>تجديد الاعتماد…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="255" />
            <source>Report</source>
            <translation>التقرير</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="176" />
            <source>Report number</source>
            <translation>رقم التقرير</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="244" />
            <source>Scope</source>
            <translation>النطاق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="108" />
            <source>Scope (test methods, separated by ;)</source>
            <translation>النطاق (طرق الاختبار، مفصولة بـ ;)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="247" />
            <source>Status</source>
            <translation>الحالة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="44" />
            <source>Test report</source>
            <translation>تقرير الاختبار</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="179" />
            <source>Their function</source>
            <translation>وظيفته</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="182" />
            <source>Their organisation</source>
            <translation>هيئته</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="176" />
            <source>Type</source>
            <translation>النوع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="62" />
            <source>Valid</source>
            <translation>صالح</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="109" />
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="245" />
            <source>Valid until</source>
            <translation>صالح حتى</translation>
        </message>
    </context>
    <context>
        <name>LinkDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="141" />
            <source>Expected approval (forecast)</source>
            <translation>الاعتماد المنتظر (توقع)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="144" />
            <source>Link a local part to the set</source>
            <translation>ربط قطعة محلية بالمجموعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="138" />
            <source>Local part</source>
            <translation>القطعة المحلية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="142" />
            <source>Planned supply start (forecast)</source>
            <translation>بداية التوريد المخططة (توقع)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="140" />
            <source>Series supply started on</source>
            <translation>بدأ التوريد التسلسلي في</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="139" />
            <source>Share of the set (%)</source>
            <translation>الحصة من المجموعة (%)</translation>
        </message>
    </context>
    <context>
        <name>LockWidget</name>
        <message>
            <location filename="../../desktop_app/ui/idle_lock.py" line="189" />
            <source>PartDesk is locked</source>
            <translation>PartDesk مقفل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/idle_lock.py" line="192" />
            <source>Password</source>
            <translation>كلمة المرور</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/idle_lock.py" line="194" />
            <source>Sign out</source>
            <translation>تسجيل الخروج</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/idle_lock.py" line="193" />
            <source>Unlock</source>
            <translation>فتح القفل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/idle_lock.py" line="190" />
            <source>{name} ({user}): enter your password to continue.</source>
            <translation>{name} ({user}): أدخل كلمة المرور للمتابعة.</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="216" />
            <source>&amp;About PartDesk</source>
            <translation>&amp;حول PartDesk</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="210" />
            <source>&amp;Change password…</source>
            <translation>&amp;تغيير كلمة المرور…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="208" />
            <source>&amp;File</source>
            <translation>&amp;ملف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="214" />
            <source>&amp;Help</source>
            <translation>م&amp;ساعدة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="211" />
            <source>&amp;Lock now</source>
            <translation>&amp;قفل الآن</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="213" />
            <source>&amp;Quit</source>
            <translation>&amp;خروج</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="209" />
            <source>&amp;Settings…</source>
            <translation>ا&amp;لإعدادات…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="315" />
            <source>About PartDesk</source>
            <translation>حول PartDesk</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="215" />
            <source>Collect &amp;diagnostics…</source>
            <translation>جمع &amp;التشخيص…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="357" />
            <source>Collect diagnostics</source>
            <translation>جمع التشخيص</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="346" />
            <source>Collecting diagnostics…</source>
            <translation>جارٍ جمع التشخيص…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="350" />
            <source>Diagnostics written to {file}. It holds versions, settings, the result of the checks and recent log lines; no data, keys or passwords.</source>
            <translation>كُتب التشخيص في {file}. يحتوي على الإصدارات والإعدادات ونتيجة الفحوص وآخر أسطر السجل؛ دون بيانات أو مفاتيح أو كلمات مرور.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="316" />
            <source>PartDesk {version}
Parts, test evidence and PPAP certification, offline first.

Data folder: {folder}</source>
            <translation>PartDesk {version}
القطع وأدلة الاختبار واعتماد PPAP، بالعمل دون اتصال أولًا.

مجلد البيانات: {folder}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="197" />
            <source>PartDesk — {code} {name}</source>
            <translation>PartDesk — {code} {name}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="328" />
            <source>Save diagnostics for plant IT</source>
            <translation>حفظ التشخيص لقسم المعلوماتية في المصنع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="212" />
            <source>Sign &amp;out</source>
            <translation>تسجيل ال&amp;خروج</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="204" />
            <source>Site {code} — {name}</source>
            <translation>الموقع {code} — {name}</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/main_window.py" line="354" />
            <source>The checks found %Ln problems; they are listed in verify.txt.</source>
            <translation>
                <numerusform>وجدت الفحوص %Ln مشكلة؛ وهي مدرجة في verify.txt.</numerusform>
                <numerusform>وجدت الفحوص مشكلة واحدة؛ وهي مدرجة في verify.txt.</numerusform>
                <numerusform>وجدت الفحوص مشكلتان؛ وهي مدرجة في verify.txt.</numerusform>
                <numerusform>وجدت الفحوص %Ln مشكلات؛ وهي مدرجة في verify.txt.</numerusform>
                <numerusform>وجدت الفحوص %Ln مشكلة؛ وهي مدرجة في verify.txt.</numerusform>
                <numerusform>وجدت الفحوص %Ln مشكلة؛ وهي مدرجة في verify.txt.</numerusform>
            </translation>
        </message>
        <message>
            <source>The checks found {count} problems; they are listed in verify.txt.</source>
            <translation type="vanished">وجدت الفحوص {count} مشكلة؛ وهي مدرجة في verify.txt.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="207" />
            <source>Working…</source>
            <translation>جارٍ العمل…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="329" />
            <source>Zip archive (*.zip)</source>
            <translation>أرشيف zip ‏(*.zip)</translation>
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
            <translation>%GRR (التفاوت)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="214" />
            <source>%GRR (variation)</source>
            <translation>%GRR (التغير)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="110" />
            <source>A CSV or Excel sheet with one row per reading: operator, part, trial and value (a number for a gauge R&amp;R; OK or NG for an attribute agreement study, with the part's right decision in a reference column). At least 2 operators, 5 parts and 2 trials.</source>
            <translation>ورقة CSV أو Excel بصف لكل قراءة: المشغّل، القطعة، المحاولة والقيمة (رقم لدراسة R&amp;R؛ OK أو NG لدراسة توافق السمات، مع القرار الصحيح للقطعة في عمود مرجعي). مشغّلان و5 قطع ومحاولتان على الأقل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="115" />
            <source>Browse…</source>
            <translation>استعراض…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="140" />
            <source>Choose the sheet of readings.</source>
            <translation>اختر ورقة القراءات.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="121" />
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="216" />
            <source>Conducted by</source>
            <translation>أجراها</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="213" />
            <source>Date</source>
            <translation>التاريخ</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="54" />
            <source>Invalid: the readings make no study</source>
            <translation>غير صالحة: القراءات لا تشكّل دراسة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="263" />
            <source>Measurement system analysis of {gauge}</source>
            <translation>تحليل نظام القياس لأداة {gauge}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="260" />
            <source>Measurement system analysis of {gauge}: no study yet.</source>
            <translation>تحليل نظام القياس لأداة {gauge}: لا توجد دراسة بعد.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="257" />
            <source>Measurement system analysis: choose a gauge in the register.</source>
            <translation>تحليل نظام القياس: اختر أداة قياس من السجل.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="122" />
            <source>Note</source>
            <translation>ملاحظة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="214" />
            <source>Operators × parts × trials</source>
            <translation>المشغّلون × القطع × المحاولات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="120" />
            <source>Readings</source>
            <translation>القراءات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="132" />
            <source>Readings of the study</source>
            <translation>قراءات الدراسة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="211" />
            <source>Record a study from a file…</source>
            <translation>تسجيل دراسة من ملف…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="108" />
            <source>Record an MSA study of {gauge}</source>
            <translation>تسجيل دراسة MSA لأداة {gauge}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="133" />
            <source>Sheets (*.csv *.xlsx *.xls *.xlsb *.ods);;All files (*)</source>
            <translation>أوراق (*.csv *.xlsx *.xls *.xlsb *.ods);;جميع الملفات (*)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="213" />
            <source>Study</source>
            <translation>الدراسة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="121" />
            <source>Study date</source>
            <translation>تاريخ الدراسة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="120" />
            <source>Tolerance</source>
            <translation>التفاوت</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="116" />
            <source>USL − LSL, for %GRR of the tolerance</source>
            <translation>الحد الأعلى − الحد الأدنى، لحساب %GRR من التفاوت</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="216" />
            <source>Verdict</source>
            <translation>الحكم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="215" />
            <source>ndc / effectiveness</source>
            <translation>ndc / الفعالية</translation>
        </message>
    </context>
    <context>
        <name>PageErrorWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/page_error_widget.py" line="38" />
            <source>This page could not be opened.</source>
            <translation>تعذّر فتح هذه الصفحة.</translation>
        </message>
    </context>
    <context>
        <name>PartDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="337" />
            <source>A new drawing revision keeps the part number.</source>
            <translation>تحتفظ مراجعة الرسم الجديدة برقم القطعة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="339" />
            <source>A new drawing revision starts in development.</source>
            <translation>تبدأ مراجعة الرسم الجديدة في مرحلة التطوير.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="204" />
            <source>Arabic</source>
            <translation>العربية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="348" />
            <source>Cancel</source>
            <translation>إلغاء</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="205" />
            <source>Chinese</source>
            <translation>الصينية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="348" />
            <source>Close</source>
            <translation>إغلاق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="186" />
            <source>Component family</source>
            <translation>عائلة المكوّنات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="185" />
            <source>Designation</source>
            <translation>التسمية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="201" />
            <source>Designation ({language})</source>
            <translation>التسمية ({language})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="213" />
            <source>Designations</source>
            <translation>التسميات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="212" />
            <source>Details</source>
            <translation>التفاصيل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="191" />
            <source>Drawing reference</source>
            <translation>مرجع الرسم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="184" />
            <source>Drawing revision</source>
            <translation>مراجعة الرسم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="205" />
            <source>English</source>
            <translation>الإنجليزية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="204" />
            <source>French</source>
            <translation>الفرنسية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="189" />
            <source>Grade</source>
            <translation>الدرجة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="214" />
            <source>History</source>
            <translation>السجل التاريخي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="194" />
            <source>Lifecycle status</source>
            <translation>حالة دورة الحياة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="322" />
            <source>Locked: this revision is {status}. Make a new drawing revision to change it.</source>
            <translation>مقفل: هذه المراجعة في حالة «{status}». أنشئ مراجعة رسم جديدة لتعديلها.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="220" />
            <source>Mark obsolete</source>
            <translation>تعليم كمتقادمة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="190" />
            <source>Mass (kg)</source>
            <translation>الكتلة (kg)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="189" />
            <source>Material</source>
            <translation>المادة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="219" />
            <source>New drawing revision</source>
            <translation>مراجعة رسم جديدة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="275" />
            <source>New part revision</source>
            <translation>مراجعة قطعة جديدة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="194" />
            <source>Notes</source>
            <translation>ملاحظات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="183" />
            <source>Part number</source>
            <translation>رقم القطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="278" />
            <source>Part {number} revision {revision}</source>
            <translation>القطعة {number} المراجعة {revision}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="193" />
            <source>Planned annual volume</source>
            <translation>الحجم السنوي المخطط</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="192" />
            <source>Special characteristics (CC/SC)</source>
            <translation>الخصائص الخاصة (CC/SC)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="187" />
            <source>Supplier</source>
            <translation>المورّد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="350" />
            <source>This revision is {status} and locked; make a new drawing revision to change it.</source>
            <translation>هذه المراجعة {status} ومقفلة؛ أنشئ مراجعة رسم جديدة لتعديلها.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="190" />
            <source>Unit</source>
            <translation>الوحدة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="188" />
            <source>Vehicle models</source>
            <translation>طرازات المركبات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="211" />
            <source>e.g. 2.35</source>
            <translation>مثلًا 2.35</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="235" />
            <source>no</source>
            <translation>لا</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="234" />
            <source>yes</source>
            <translation>نعم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="253" />
            <source>— none —</source>
            <translation>— لا شيء —</translation>
        </message>
    </context>
    <context>
        <name>Parts</name>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="37" />
            <source>In development</source>
            <translation>قيد التطوير</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="39" />
            <source>Obsolete</source>
            <translation>متقادمة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="38" />
            <source>Released</source>
            <translation>مُصدَرة</translation>
        </message>
    </context>
    <context>
        <name>PartsExport</name>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="37" />
            <source>Annual volume</source>
            <translation>الحجم السنوي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="38" />
            <source>CC/SC</source>
            <translation>CC/SC</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="31" />
            <source>Designation</source>
            <translation>التسمية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="32" />
            <source>Family</source>
            <translation>العائلة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="35" />
            <source>Mass (kg)</source>
            <translation>الكتلة (kg)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="34" />
            <source>Material</source>
            <translation>المادة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="29" />
            <source>Part number</source>
            <translation>رقم القطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="30" />
            <source>Revision</source>
            <translation>المراجعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="39" />
            <source>Status</source>
            <translation>الوضع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="33" />
            <source>Supplier</source>
            <translation>المورّد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="36" />
            <source>Unit</source>
            <translation>الوحدة</translation>
        </message>
    </context>
    <context>
        <name>PartsImport</name>
        <message>
            <source>Checking rows</source>
            <translation type="vanished">جارٍ التحقق من الصفوف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="89" />
            <source>Component family</source>
            <translation>عائلة المكوّنات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="84" />
            <source>Designation</source>
            <translation>التسمية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="86" />
            <source>Designation (Arabic)</source>
            <translation>التسمية (العربية)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="87" />
            <source>Designation (Chinese)</source>
            <translation>التسمية (الصينية)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="88" />
            <source>Designation (English)</source>
            <translation>التسمية (الإنجليزية)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="85" />
            <source>Designation (French)</source>
            <translation>التسمية (الفرنسية)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="96" />
            <source>Drawing reference</source>
            <translation>مرجع الرسم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="83" />
            <source>Drawing revision</source>
            <translation>مراجعة الرسم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="93" />
            <source>Grade</source>
            <translation>الدرجة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import.py" line="371" />
            <source>Importing</source>
            <translation>جارٍ الاستيراد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="94" />
            <source>Mass (kg)</source>
            <translation>الكتلة (kg)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="92" />
            <source>Material</source>
            <translation>المادة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="232" />
            <source>New supplier: {name}</source>
            <translation>مورّد جديد: {name}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="100" />
            <source>Notes</source>
            <translation>ملاحظات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="82" />
            <source>Part number</source>
            <translation>رقم القطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="98" />
            <source>Planned annual volume</source>
            <translation>الحجم السنوي المخطط</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import.py" line="370" />
            <source>Reading and checking rows</source>
            <translation>قراءة الصفوف وفحصها</translation>
        </message>
        <message>
            <source>Reading the file</source>
            <translation type="vanished">جارٍ قراءة الملف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="97" />
            <source>Special characteristics</source>
            <translation>الخصائص الخاصة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="99" />
            <source>Status</source>
            <translation>الوضع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="90" />
            <source>Supplier</source>
            <translation>المورّد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="95" />
            <source>Unit</source>
            <translation>الوحدة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="91" />
            <source>Vehicle models</source>
            <translation>طرازات المركبات</translation>
        </message>
    </context>
    <context>
        <name>PartsImportDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="410" />
            <source>(the file)</source>
            <translation>(الملف)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="272" />
            <source>Apply</source>
            <translation>تطبيق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="270" />
            <source>Back</source>
            <translation>رجوع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="262" />
            <source>Browse…</source>
            <translation>استعراض…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="307" />
            <source>Cancel</source>
            <translation>إلغاء</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="65" />
            <source>Changed</source>
            <translation>معدَّلة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="127" />
            <source>Changes / reason</source>
            <translation>التغييرات / السبب</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="258" />
            <source>Choose a workbook (.xlsx, .xls, .ods) or a CSV file with one part revision per row and a header row. Nothing is written until you apply, and then every row or none.</source>
            <translation>اختر مصنفاً (.xlsx أو .xls أو .ods) أو ملف CSV فيه مراجعة قطعة واحدة في كل صف وصف عناوين. لا يُكتب شيء قبل التطبيق، وعندها تُكتب كل الصفوف أو لا شيء.</translation>
        </message>
        <message>
            <source>Choose an Excel workbook (.xlsx) or a CSV file with one part revision per row and a header row. Nothing is written until you apply, and then every row or none.</source>
            <translation type="vanished">اختر مصنف Excel ‏(.xlsx) أو ملف CSV يحتوي على مراجعة قطعة واحدة في كل صف وصف عناوين. لا يُكتب شيء حتى تضغط على تطبيق، وعندها تُكتب كل الصفوف أو لا شيء.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="422" />
            <source>Chosen by hand</source>
            <translation>مختار يدويًا</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="273" />
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="306" />
            <source>Close</source>
            <translation>إغلاق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="269" />
            <source>Column of the file</source>
            <translation>عمود الملف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="522" />
            <source>Correct the rows in error in the file, then import it again; nothing was written.</source>
            <translation>صحّح الصفوف الخاطئة في الملف ثم استورده مجددًا؛ لم يُكتب شيء.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="77" />
            <source>Designations</source>
            <translation>التسميات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="265" />
            <source>Each field takes its values from the column shown; change any of them by hand.</source>
            <translation>يأخذ كل حقل قيمه من العمود المعروض؛ يمكنك تغيير أي منها يدويًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="67" />
            <source>Error</source>
            <translation>خطأ</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="269" />
            <source>Field</source>
            <translation>الحقل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="420" />
            <source>Found by its column names</source>
            <translation>عُثر عليه بأسماء أعمدته</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="275" />
            <source>Header row:</source>
            <translation>صف العناوين:</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="257" />
            <source>Import parts</source>
            <translation>استيراد القطع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="545" />
            <source>Imported: {created} new part revisions, {changed} changed, {unchanged} unchanged; {suppliers} suppliers created.</source>
            <translation>تم الاستيراد: {created} مراجعة قطعة جديدة، {changed} معدَّلة، {unchanged} دون تغيير؛ {suppliers} موردين أُنشئوا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="535" />
            <source>Importing parts…</source>
            <translation>جارٍ استيراد القطع…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="64" />
            <source>New</source>
            <translation>جديدة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="271" />
            <source>Next</source>
            <translation>التالي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="418" />
            <source>No header row found</source>
            <translation>لم يُعثر على صف العناوين</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="126" />
            <source>Part number</source>
            <translation>رقم القطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="311" />
            <source>Parts file</source>
            <translation>ملف القطع</translation>
        </message>
        <message>
            <source>Parts lists (*.xlsx *.csv);;All files (*)</source>
            <translation type="vanished">قوائم القطع (*.xlsx *.csv);;كل الملفات (*)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="312" />
            <source>Parts lists (*.xlsx *.xls *.ods *.csv);;All files (*)</source>
            <translation>قوائم القطع (*.xlsx *.xls *.ods *.csv);;كل الملفات (*)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="363" />
            <source>Reading and checking the file…</source>
            <translation>جارٍ قراءة الملف والتحقق منه…</translation>
        </message>
        <message>
            <source>Reading the file…</source>
            <translation type="vanished">جارٍ قراءة الملف…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="126" />
            <source>Rev.</source>
            <translation>المراجعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="125" />
            <source>Row</source>
            <translation>الصف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="274" />
            <source>Sheet:</source>
            <translation>الورقة:</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="125" />
            <source>Status</source>
            <translation>الوضع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="263" />
            <source>Strict: refuse suppliers that are not registered yet</source>
            <translation>صارم: رفض الموردين غير المسجَّلين بعد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="519" />
            <source>Suppliers to create: {names}</source>
            <translation>موردون سيُنشَؤون: {names}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="276" />
            <source>The first rows of the sheet, the header row marked; double-click the row that names the columns to take it.</source>
            <translation>الصفوف الأولى من الورقة مع تمييز صف العناوين؛ انقر نقرًا مزدوجًا على الصف الذي يسمّي الأعمدة لاعتماده.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="66" />
            <source>Unchanged</source>
            <translation>دون تغيير</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="514" />
            <source>{new} new, {changed} changed, {unchanged} unchanged, {errors} with errors.</source>
            <translation>{new} جديدة، {changed} معدَّلة، {unchanged} دون تغيير، {errors} بها أخطاء.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="480" />
            <source>— not imported —</source>
            <translation>— لا يُستورد —</translation>
        </message>
    </context>
    <context>
        <name>PartsPage</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="335" />
            <source>%Ln parts</source>
            <translation>
                <numerusform>%Ln قطعة</numerusform>
                <numerusform>قطعة واحدة</numerusform>
                <numerusform>قطعتان</numerusform>
                <numerusform>%Ln قطع</numerusform>
                <numerusform>%Ln قطعة</numerusform>
                <numerusform>%Ln قطعة</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="424" />
            <source>%Ln parts written to {file}.</source>
            <translation>
                <numerusform>كُتبت %Ln قطعة في {file}.</numerusform>
                <numerusform>كُتبت قطعة واحدة في {file}.</numerusform>
                <numerusform>كُتبت قطعتان في {file}.</numerusform>
                <numerusform>كُتبت %Ln قطع في {file}.</numerusform>
                <numerusform>كُتبت %Ln قطعة في {file}.</numerusform>
                <numerusform>كُتبت %Ln قطعة في {file}.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="254" />
            <source>All families</source>
            <translation>كل العائلات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="258" />
            <source>All statuses</source>
            <translation>كل الأوضاع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="252" />
            <source>All suppliers</source>
            <translation>كل الموردين</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="256" />
            <source>All vehicle models</source>
            <translation>كل طرازات المركبات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="181" />
            <source>CC/SC</source>
            <translation>CC/SC</translation>
        </message>
        <message>
            <source>CSV file (*.csv)</source>
            <translation type="vanished">ملف CSV (*.csv)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="389" />
            <source>CSV for French Excel, ';' and decimal comma (*.csv)</source>
            <translation>CSV لبرنامج Excel الفرنسي، الفاصل «;» والفاصلة العشرية (*.csv)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="391" />
            <source>CSV, ',' and decimal point (*.csv)</source>
            <translation>CSV، الفاصل «,» والنقطة العشرية (*.csv)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="163" />
            <source>Designation</source>
            <translation>التسمية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="175" />
            <source>Edited at two sites: to be merged</source>
            <translation>عُدّلت في موقعين: يجب دمجها</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="398" />
            <source>Excel workbook (*.xlsx)</source>
            <translation>مصنف Excel (*.xlsx)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="221" />
            <source>Export .csv…</source>
            <translation>تصدير ‎.csv…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="220" />
            <source>Export .xlsx…</source>
            <translation>تصدير ‎.xlsx…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="397" />
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="407" />
            <source>Export the parts shown</source>
            <translation>تصدير القطع المعروضة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="423" />
            <source>Exporting parts…</source>
            <translation>جارٍ تصدير القطع…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="166" />
            <source>Family</source>
            <translation>العائلة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="219" />
            <source>Import…</source>
            <translation>استيراد…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="172" />
            <source>Mass (kg)</source>
            <translation>الكتلة (kg)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="170" />
            <source>Material</source>
            <translation>المادة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="217" />
            <source>New part…</source>
            <translation>قطعة جديدة…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="317" />
            <source>No part matches this search or these filters.</source>
            <translation>لا توجد قطعة تطابق هذا البحث أو هذه المرشّحات.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="318" />
            <source>No part registered yet. An engineer registers parts with “New part…” or imports a sheet with “Import…”.</source>
            <translation>لا توجد قطعة مسجلة بعد. يسجّل المهندس القطع عبر «قطعة جديدة…» أو يستورد ورقة عبر «استيراد…».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="218" />
            <source>Open…</source>
            <translation>فتح…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="158" />
            <source>Part number</source>
            <translation>رقم القطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="211" />
            <source>Parts</source>
            <translation>القطع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="214" />
            <source>Parts registry</source>
            <translation>سجل القطع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="160" />
            <source>Rev.</source>
            <translation>المراجعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="215" />
            <source>Search part number, designation, supplier, material…</source>
            <translation>البحث برقم القطعة أو التسمية أو المورّد أو المادة…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="174" />
            <source>Status</source>
            <translation>الوضع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="168" />
            <source>Supplier</source>
            <translation>المورّد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="222" />
            <source>Suppliers and models…</source>
            <translation>الموردون والطرازات…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="178" />
            <source>Volume / year</source>
            <translation>الحجم / السنة</translation>
        </message>
        <message>
            <source>{count} parts</source>
            <translation type="vanished">{count} قطعة</translation>
        </message>
        <message>
            <source>{count} parts written to {file}.</source>
            <translation type="vanished">كُتبت {count} قطعة في {file}.</translation>
        </message>
    </context>
    <context>
        <name>PasswordDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="93" />
            <source>Change my password</source>
            <translation>تغيير كلمة المرور الخاصة بي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="101" />
            <source>Current password</source>
            <translation>كلمة المرور الحالية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="102" />
            <source>New password</source>
            <translation>كلمة المرور الجديدة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="94" />
            <source>New password for {name} ({user})</source>
            <translation>كلمة مرور جديدة لـ {name} ({user})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="99" />
            <source>New password for {name} ({user}); tell them to change it after signing in.</source>
            <translation>كلمة مرور جديدة لـ {name} ({user})؛ اطلب منه تغييرها بعد تسجيل الدخول.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="103" />
            <source>Repeat the new password</source>
            <translation>أعد كتابة كلمة المرور الجديدة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="97" />
            <source>Reset password</source>
            <translation>إعادة تعيين كلمة المرور</translation>
        </message>
    </context>
    <context>
        <name>PeoplePage</name>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="91" />
            <source>Active</source>
            <translation>نشط</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="92" />
            <source>Add a person…</source>
            <translation>إضافة شخص…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="93" />
            <source>Change role…</source>
            <translation>تغيير الدور…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="140" />
            <source>Disable</source>
            <translation>تعطيل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="139" />
            <source>Enable</source>
            <translation>تفعيل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="91" />
            <source>Full name</source>
            <translation>الاسم الكامل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="121" />
            <source>No, disabled</source>
            <translation>لا، معطّل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="86" />
            <source>People</source>
            <translation>الأشخاص</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="89" />
            <source>People of this site</source>
            <translation>أشخاص هذا الموقع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="94" />
            <source>Reset password…</source>
            <translation>إعادة تعيين كلمة المرور…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="91" />
            <source>Role</source>
            <translation>الدور</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="174" />
            <source>The password of {user} was reset.</source>
            <translation>أُعيد تعيين كلمة مرور {user}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="91" />
            <source>User name</source>
            <translation>اسم المستخدم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="121" />
            <source>Yes</source>
            <translation>نعم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="157" />
            <source>{user} can now sign in.</source>
            <translation>يمكن لـ {user} الآن تسجيل الدخول.</translation>
        </message>
    </context>
    <context>
        <name>Permissions</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="86" />
            <source>Add {role} in People, then sign in as that person.</source>
            <translation>أضف {role} في صفحة الأشخاص، ثم سجّل الدخول باسمه.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="88" />
            <source>Ask an administrator to add {role} in People.</source>
            <translation>اطلب من مسؤول إضافة {role} في صفحة الأشخاص.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="83" />
            <source>Ask an administrator to do it.</source>
            <translation>اطلب ذلك من مسؤول.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="79" />
            <source>Nobody may {action} here.</source>
            <translation>لا يحق لأحد {action} هنا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="80" />
            <source>Only {roles} may {action}.</source>
            <translation>لا يحق {action} إلا ل{roles}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="55" />
            <source>a quality inspector</source>
            <translation>مفتش جودة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="57" />
            <source>an administrator</source>
            <translation>مسؤول</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="56" />
            <source>an approver</source>
            <translation>معتمِد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="54" />
            <source>an engineer</source>
            <translation>مهندس</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="42" />
            <source>approve or reject deviations</source>
            <translation>اعتماد الاستثناءات أو رفضها</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="66" />
            <source>back up and restore</source>
            <translation>النسخ الاحتياطي والاستعادة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="39" />
            <source>change how long records are kept</source>
            <translation>تغيير مدة حفظ السجلات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="307" />
            <source>decide on deviations</source>
            <translation>البتّ في الاستثناءات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="180" />
            <location filename="../../desktop_app/domain/people.py" line="59" />
            <source>decide on submissions</source>
            <translation>البتّ في الملفات المقدَّمة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="55" />
            <source>edit parts</source>
            <translation>تعديل القطع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="52" />
            <source>edit reference data</source>
            <translation>تعديل البيانات المرجعية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="53" />
            <source>edit the regulatory rules</source>
            <translation>تعديل القواعد التنظيمية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="61" />
            <source>edit the roadmap</source>
            <translation>تعديل خارطة الطريق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="63" />
            <source>export packages</source>
            <translation>تصدير الحزم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="64" />
            <source>import packages</source>
            <translation>استيراد الحزم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="36" />
            <source>import parts</source>
            <translation>استيراد القطع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="50" />
            <source>manage people</source>
            <translation>إدارة الأشخاص</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="51" />
            <source>manage sites and keys</source>
            <translation>إدارة المواقع والمفاتيح</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="65" />
            <source>merge conflicting edits</source>
            <translation>دمج التعديلات المتعارضة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="43" />
            <source>prepare or change submissions</source>
            <translation>إعداد التقديمات أو تعديلها</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="57" />
            <source>prepare submissions</source>
            <translation>إعداد الملفات المقدَّمة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="60" />
            <source>print certificates</source>
            <translation>طباعة الشهادات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="40" />
            <source>print or save certificates</source>
            <translation>طباعة الشهادات أو حفظها</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="37" />
            <source>record deliveries</source>
            <translation>تسجيل عمليات الشحن</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="56" />
            <source>record test evidence</source>
            <translation>تسجيل أدلة الاختبار</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="38" />
            <source>record the end of production</source>
            <translation>تسجيل نهاية الإنتاج</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="35" />
            <source>register parts</source>
            <translation>تسجيل القطع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="41" />
            <source>request deviations</source>
            <translation>طلب استثناءات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="58" />
            <source>review submissions</source>
            <translation>مراجعة الملفات المقدَّمة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="62" />
            <source>sign off roadmap steps</source>
            <translation>المصادقة على مراحل خارطة الطريق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="49" />
            <source>view data</source>
            <translation>عرض البيانات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="69" />
            <source>{first} or {last}</source>
            <translation>{first} أو {last}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="68" />
            <source>{first}, {second}</source>
            <translation>{first}، {second}</translation>
        </message>
    </context>
    <context>
        <name>PersonDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="89" />
            <source>Add a person</source>
            <translation>إضافة شخص</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="90" />
            <source>Full name</source>
            <translation>الاسم الكامل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="91" />
            <source>Password</source>
            <translation>كلمة المرور</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="92" />
            <source>Repeat the password</source>
            <translation>أعد كتابة كلمة المرور</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="91" />
            <source>Role</source>
            <translation>الدور</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="90" />
            <source>User name</source>
            <translation>اسم المستخدم</translation>
        </message>
    </context>
    <context>
        <name>Ppap</name>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="78" />
            <source>Appearance approval report (AAR), if applicable</source>
            <translation>تقرير اعتماد المظهر (AAR) عند الاقتضاء</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="24" />
            <source>As customer specifies</source>
            <translation>حسب الزبون</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="91" />
            <source>Bulk material requirements checklist</source>
            <translation>قائمة متطلبات المواد السائبة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="122" />
            <source>Change in part processing</source>
            <translation>تغيير في تصنيع القطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="119" />
            <source>Change to optional construction or material</source>
            <translation>تغيير في البناء أو المادة الاختيارية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="82" />
            <source>Checking aids</source>
            <translation>وسائل الفحص</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="68" />
            <source>Control plan</source>
            <translation>خطة المراقبة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="117" />
            <source>Correction of discrepancy</source>
            <translation>تصحيح خلل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="63" />
            <source>Customer engineering approval, if required</source>
            <translation>الاعتماد الهندسي للزبون عند الطلب</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="65" />
            <source>Design FMEA</source>
            <translation>تحليل أنماط الفشل للتصميم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="59" />
            <source>Design records — all other components</source>
            <translation>سجلات التصميم — المكونات الأخرى</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="57" />
            <source>Design records — proprietary components</source>
            <translation>سجلات التصميم — المكونات المملوكة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="71" />
            <source>Dimensional results</source>
            <translation>نتائج الأبعاد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="61" />
            <source>Engineering change documents, if any</source>
            <translation>وثائق التغيير الهندسي إن وجدت</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="114" />
            <source>Engineering change(s)</source>
            <translation>تغيير هندسي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="74" />
            <source>Initial process studies</source>
            <translation>دراسات العملية الأولية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="113" />
            <source>Initial submission</source>
            <translation>تقديم أولي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="81" />
            <source>Master sample</source>
            <translation>العينة المرجعية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="72" />
            <source>Material, performance test results</source>
            <translation>نتائج اختبارات المادة والأداء</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="69" />
            <source>Measurement system analysis studies</source>
            <translation>دراسات تحليل نظام القياس</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="124" />
            <source>Other</source>
            <translation>أخرى</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="85" />
            <source>Part submission warrant (PSW)</source>
            <translation>شهادة تقديم القطعة (PSW)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="123" />
            <source>Parts produced at additional location</source>
            <translation>قطع منتجة في موقع إضافي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="67" />
            <source>Process FMEA</source>
            <translation>تحليل أنماط الفشل للعملية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="66" />
            <source>Process flow diagrams</source>
            <translation>مخططات سير العملية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="76" />
            <source>Qualified laboratory documentation</source>
            <translation>وثائق المختبر المؤهل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="83" />
            <source>Records of compliance with customer-specific requirements</source>
            <translation>سجلات المطابقة لمتطلبات الزبون الخاصة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="23" />
            <source>Retain</source>
            <translation>احتفاظ</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="80" />
            <source>Sample production parts</source>
            <translation>عينات قطع الإنتاج</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="121" />
            <source>Sub-supplier or material source change</source>
            <translation>تغيير المورّد الفرعي أو مصدر المادة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="22" />
            <source>Submit</source>
            <translation>تقديم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="118" />
            <source>Tooling inactive &gt; 1 year</source>
            <translation>أدوات غير مستعملة &gt; سنة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="115" />
            <source>Tooling: transfer, replacement, refurbishment, or additional</source>
            <translation>الأدوات: نقل أو استبدال أو تجديد أو إضافة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="34" />
            <source>Warrant and other requirements as defined by the customer</source>
            <translation>الشهادة ومتطلبات أخرى كما يحددها الزبون</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="31" />
            <source>Warrant only (and AAR for appearance items)</source>
            <translation>الشهادة فقط (مع AAR لقطع المظهر)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="35" />
            <source>Warrant with samples and complete data reviewed at the supplier's manufacturing location</source>
            <translation>الشهادة مع العينات والبيانات الكاملة تُراجَع في موقع تصنيع المورّد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="33" />
            <source>Warrant with samples and complete supporting data</source>
            <translation>الشهادة مع العينات والبيانات الداعمة الكاملة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="32" />
            <source>Warrant with samples and limited supporting data</source>
            <translation>الشهادة مع العينات وبيانات داعمة محدودة</translation>
        </message>
    </context>
    <context>
        <name>Psw</name>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="68" />
            <source>Additional engineering changes</source>
            <translation>تغييرات هندسية إضافية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="69" />
            <source>Additional engineering changes date</source>
            <translation>تاريخ التغييرات الهندسية الإضافية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="349" />
            <location filename="../../desktop_app/services/certification_psw.py" line="215" />
            <source>Address</source>
            <translation>العنوان</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="125" />
            <source>Appearance criteria</source>
            <translation>معايير المظهر</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="350" />
            <location filename="../../desktop_app/services/certification_psw.py" line="220" />
            <source>Application</source>
            <translation>مجال الاستخدام</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="409" />
            <location filename="../../desktop_app/services/certification_psw.py" line="248" />
            <source>Authorised supplier signature</source>
            <translation>توقيع المورّد المعتمد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="77" />
            <source>Buyer / buyer code</source>
            <translation>المشتري / رمز المشتري</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="75" />
            <source>Checking aid date</source>
            <translation>تاريخ أداة الفحص</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="74" />
            <source>Checking aid number and level</source>
            <translation>رقم وسيلة الفحص ومستواها</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="76" />
            <source>Customer / division</source>
            <translation>الزبون / القسم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_psw.py" line="255" />
            <source>Customer disposition</source>
            <translation>قرار الزبون</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="431" />
            <location filename="../../desktop_app/services/certification_psw.py" line="261" />
            <source>Customer name</source>
            <translation>اسم الزبون</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="327" />
            <location filename="../../desktop_app/services/certification_psw.py" line="199" />
            <source>Customer part number</source>
            <translation>رقم القطعة لدى الزبون</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="430" />
            <location filename="../../desktop_app/services/certification_psw.py" line="259" />
            <source>Customer signature</source>
            <translation>توقيع الزبون</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="344" />
            <location filename="../../desktop_app/services/certification_psw.py" line="217" />
            <source>Customer submittal information</source>
            <translation>معلومات التقديم للزبون</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="90" />
            <source>Customer tracking number</source>
            <translation>رقم التتبع لدى الزبون</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="414" />
            <location filename="../../desktop_app/documents/psw_pdf.py" line="432" />
            <location filename="../../desktop_app/services/certification_psw.py" line="253" />
            <source>Date</source>
            <translation>التاريخ</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="400" />
            <location filename="../../desktop_app/services/certification_psw.py" line="243" />
            <source>Declaration</source>
            <translation>الإقرار</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="79" />
            <source>Derived from the results above and the completeness checks, not typed.</source>
            <translation>مستنتج من النتائج أعلاه ومن فحوص الاكتمال، لا يُكتب يدوياً.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="123" />
            <source>Dimensional measurements</source>
            <translation>القياسات البُعدية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="426" />
            <location filename="../../desktop_app/services/certification_psw.py" line="256" />
            <source>Disposition</source>
            <translation>القرار</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="330" />
            <location filename="../../desktop_app/domain/psw.py" line="66" />
            <source>Drawing number</source>
            <translation>رقم الرسم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="413" />
            <location filename="../../desktop_app/services/certification_psw.py" line="252" />
            <source>E-mail</source>
            <translation>البريد الإلكتروني</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="87" />
            <source>Each customer-owned tool is tagged and numbered</source>
            <translation>كل أداة يملكها الزبون موسومة ومرقّمة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="331" />
            <location filename="../../desktop_app/services/certification_psw.py" line="202" />
            <source>Engineering change level</source>
            <translation>مستوى التغيير الهندسي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="67" />
            <source>Engineering change level date</source>
            <translation>تاريخ مستوى التغيير الهندسي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="83" />
            <source>Explanation / comments</source>
            <translation>الشرح / الملاحظات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="417" />
            <source>For customer use only</source>
            <translation>خاص باستعمال الزبون</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_psw.py" line="232" />
            <source>Level</source>
            <translation>المستوى</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="104" />
            <source>Locked: a submission in this state cannot be changed.</source>
            <translation>مقفل: لا يمكن تعديل تقديم في هذه الحالة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="102" />
            <source>Locked: the submission was edited at two sites; merge it on the Conflicts page first.</source>
            <translation>مقفل: عُدّل التقديم في موقعين؛ ادمجه أولًا في صفحة التعارضات.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="124" />
            <source>Material and functional tests</source>
            <translation>اختبارات المادة والوظيفة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="353" />
            <location filename="../../desktop_app/services/certification_psw.py" line="222" />
            <source>Materials reporting</source>
            <translation>الإبلاغ عن المواد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="84" />
            <source>Mould / cavity / production process</source>
            <translation>القالب / التجويف / عملية الإنتاج</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="410" />
            <location filename="../../desktop_app/services/certification_psw.py" line="249" />
            <source>Name</source>
            <translation>الاسم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="159" />
            <source>No result is linked to the submission.</source>
            <translation>لا توجد نتيجة مرتبطة بالملف.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="422" />
            <source>Other</source>
            <translation>أخرى</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="187" />
            <source>PDF document (*.pdf)</source>
            <translation>مستند PDF ‏(*.pdf)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="71" />
            <source>PPAP element 18 — AIAG Production Part Approval Process, 4th edition</source>
            <translation>عنصر PPAP رقم 18 — عملية اعتماد قطع الإنتاج AIAG، الطبعة الرابعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="70" />
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="129" />
            <source>Part Submission Warrant</source>
            <translation>شهادة تقديم القطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="325" />
            <location filename="../../desktop_app/services/certification_psw.py" line="197" />
            <source>Part information</source>
            <translation>معلومات القطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="326" />
            <location filename="../../desktop_app/services/certification_psw.py" line="198" />
            <source>Part name</source>
            <translation>اسم القطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="89" />
            <source>Phone</source>
            <translation>الهاتف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="81" />
            <source>Polymeric parts marked (ISO)</source>
            <translation>القطع البوليمرية موسومة (ISO)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="186" />
            <source>Print the warrant as a PDF</source>
            <translation>طباعة شهادة تقديم القطعة بصيغة PDF</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="141" />
            <source>Print warrant…</source>
            <translation>طباعة شهادة التقديم…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="81" />
            <source>Printed by PartDesk on {day} from submission {number} — page {page}</source>
            <translation>طبعه PartDesk في {day} من الملف {number} — الصفحة {page}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="198" />
            <source>Printing the warrant…</source>
            <translation>جارٍ طباعة شهادة التقديم…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="86" />
            <source>Production rate: hours</source>
            <translation>معدل الإنتاج: ساعات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="85" />
            <source>Production rate: pieces</source>
            <translation>معدل الإنتاج: قطع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="73" />
            <source>Purchase order number</source>
            <translation>رقم أمر الشراء</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_psw.py" line="228" />
            <source>Reason</source>
            <translation>السبب</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="360" />
            <location filename="../../desktop_app/services/certification_psw.py" line="227" />
            <source>Reason for submission</source>
            <translation>سبب التقديم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="80" />
            <source>Reported in IMDS or other format</source>
            <translation>مُبلَّغ عنها في IMDS أو صيغة أخرى</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="361" />
            <location filename="../../desktop_app/services/certification_psw.py" line="231" />
            <source>Requested submission level</source>
            <translation>مستوى التقديم المطلوب</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="71" />
            <source>Safety and/or government regulation</source>
            <translation>السلامة و/أو التنظيم الحكومي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="142" />
            <source>Save the warrant as a PDF in the language of the window</source>
            <translation>حفظ شهادة التقديم بصيغة PDF بلغة النافذة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="140" />
            <source>Save the warrant fields</source>
            <translation>حفظ حقول الشهادة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="181" />
            <source>Saved.</source>
            <translation>تم الحفظ.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="126" />
            <source>Statistical process package</source>
            <translation>حزمة التحكم الإحصائي في العملية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="386" />
            <location filename="../../desktop_app/services/certification_psw.py" line="234" />
            <source>Submission results</source>
            <translation>نتائج التقديم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="78" />
            <source>Substances of concern reported</source>
            <translation>الإبلاغ عن المواد المثيرة للقلق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="346" />
            <location filename="../../desktop_app/services/certification_psw.py" line="214" />
            <source>Supplier code</source>
            <translation>رمز المورّد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="343" />
            <location filename="../../desktop_app/services/certification_psw.py" line="212" />
            <source>Supplier manufacturing information</source>
            <translation>معلومات تصنيع المورّد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="345" />
            <location filename="../../desktop_app/services/certification_psw.py" line="213" />
            <source>Supplier name</source>
            <translation>اسم المورّد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="65" />
            <source>Supplier part number</source>
            <translation>رقم القطعة لدى المورّد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="73" />
            <source>The supplier declares that the samples covered by this warrant represent its parts, made by a process that meets every requirement of the AIAG Production Part Approval Process (4th edition), at a production rate of {pieces} pieces in {hours} hours, and that documented evidence of this is on file and available for review. Any deviation from this declaration is explained under Explanation / comments.</source>
            <translation>يصرّح المورّد بأن العيّنات المشمولة بهذه الشهادة تمثّل قطعه المصنوعة بعملية تستوفي كل متطلبات عملية اعتماد قطع الإنتاج لدى AIAG (الطبعة الرابعة)، بمعدّل إنتاج قدره {pieces} قطعة في {hours} ساعة، وأن الأدلة الموثّقة على ذلك محفوظة ومتاحة للمراجعة. ويُشرح أي انحراف عن هذا التصريح تحت بند الشرح / الملاحظات.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="389" />
            <location filename="../../desktop_app/services/certification_psw.py" line="236" />
            <source>These results meet all design record requirements</source>
            <translation>تستوفي هذه النتائج كل متطلبات سجلات التصميم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="411" />
            <location filename="../../desktop_app/services/certification_psw.py" line="250" />
            <source>Title</source>
            <translation>العنوان</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="202" />
            <source>Warrant written to {file}.</source>
            <translation>كُتبت شهادة التقديم في {file}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="338" />
            <location filename="../../desktop_app/services/certification_psw.py" line="208" />
            <source>Weight (kg)</source>
            <translation>الوزن (kg)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="139" />
            <source>YYYY-MM-DD</source>
            <translation>YYYY-MM-DD</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="33" />
            <source>n/a</source>
            <translation>غير منطبق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="32" />
            <location filename="../../desktop_app/services/certification_psw.py" line="49" />
            <source>no</source>
            <translation>لا</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="31" />
            <location filename="../../desktop_app/services/certification_psw.py" line="49" />
            <source>yes</source>
            <translation>نعم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="158" />
            <source>{result}: no result is linked to the submission.</source>
            <translation>{result}: لا توجد نتيجة مرتبطة بالملف.</translation>
        </message>
    </context>
    <context>
        <name>RateChartWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="47" />
            <source>Actual</source>
            <translation>الفعلي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="48" />
            <source>Forecast</source>
            <translation>التوقع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="53" />
            <source>Integration rate</source>
            <translation>نسبة الإدماج</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="51" />
            <source>No vehicle model with an approval date yet.</source>
            <translation>لا يوجد بعد طراز مركبة له تاريخ اعتماد.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="46" />
            <source>Planned (roadmap)</source>
            <translation>المخطط (خارطة الطريق)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="49" />
            <source>Regulatory minimum</source>
            <translation>الحد الأدنى التنظيمي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="50" />
            <source>Today</source>
            <translation>اليوم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="52" />
            <source>year {n}</source>
            <translation>السنة {n}</translation>
        </message>
    </context>
    <context>
        <name>RecordTypes</name>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="18" />
            <source>Attached file</source>
            <translation>ملف مرفق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="22" />
            <source>Certificate</source>
            <translation>الشهادة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="14" />
            <source>Characteristic</source>
            <translation>الخاصية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="12" />
            <source>Component family</source>
            <translation>عائلة المكوّنات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="24" />
            <source>Customer decision on a deviation</source>
            <translation>قرار الزبون بشأن استثناء</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="26" />
            <source>Customer's retention period</source>
            <translation>مدة الحفظ لدى زبون</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="20" />
            <source>Decision</source>
            <translation>القرار</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="34" />
            <source>Delivery of parts</source>
            <translation>تسليم قطع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="23" />
            <source>Deviation</source>
            <translation>استثناء</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="28" />
            <source>EN 10204 inspection document</source>
            <translation>وثيقة فحص EN 10204</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="25" />
            <source>End of production</source>
            <translation>نهاية الإنتاج</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="15" />
            <source>Gauge</source>
            <translation>أداة القياس</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="29" />
            <source>Measurement system analysis study</source>
            <translation>دراسة تحليل نظام القياس</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="13" />
            <source>Part</source>
            <translation>القطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="9" />
            <source>Person</source>
            <translation>الشخص</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="17" />
            <source>Readings</source>
            <translation>القراءات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="30" />
            <source>Reference list set</source>
            <translation>مجموعة القائمة المرجعية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="32" />
            <source>Regulatory milestone</source>
            <translation>المعلم التنظيمي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="33" />
            <source>Regulatory rules of a model</source>
            <translation>القواعد التنظيمية لطراز</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="35" />
            <source>Roadmap step</source>
            <translation>مرحلة خارطة الطريق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="31" />
            <source>Set to part link</source>
            <translation>ربط المجموعة بالقطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="21" />
            <source>Signature</source>
            <translation>التوقيع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="8" />
            <source>Site</source>
            <translation>الموقع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="36" />
            <source>Step sign-off</source>
            <translation>المصادقة على المرحلة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="19" />
            <source>Submission</source>
            <translation>الملف المقدَّم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="10" />
            <source>Supplier</source>
            <translation>المورّد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="27" />
            <source>Test laboratory</source>
            <translation>مخبر اختبار</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="16" />
            <source>Test report</source>
            <translation>تقرير اختبار</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="11" />
            <source>Vehicle model</source>
            <translation>طراز المركبة</translation>
        </message>
    </context>
    <context>
        <name>ReferenceDataDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="55" />
            <source>Approval date (starts the clock)</source>
            <translation>تاريخ الاعتماد (بداية احتساب الآجال)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="51" />
            <source>Carmaker</source>
            <translation>مصنّع السيارات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="39" />
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="50" />
            <source>Code</source>
            <translation>الرمز</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="42" />
            <source>Contact</source>
            <translation>جهة الاتصال</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="40" />
            <source>Country</source>
            <translation>البلد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="45" />
            <source>IATF 16949 certificate</source>
            <translation>شهادة IATF 16949</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="46" />
            <source>IATF 16949 expiry</source>
            <translation>انتهاء IATF 16949</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="43" />
            <source>ISO 9001 certificate</source>
            <translation>شهادة ISO 9001</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="44" />
            <source>ISO 9001 expiry</source>
            <translation>انتهاء ISO 9001</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="52" />
            <source>Model</source>
            <translation>الطراز</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="38" />
            <source>Name</source>
            <translation>الاسم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="116" />
            <source>New</source>
            <translation>جديد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="47" />
            <source>Notes</source>
            <translation>ملاحظات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="54" />
            <source>Power range</source>
            <translation>مجال القدرة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="117" />
            <source>Save</source>
            <translation>حفظ</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="168" />
            <source>Saved.</source>
            <translation>تم الحفظ.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="41" />
            <source>Site / address</source>
            <translation>الموقع / العنوان</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="212" />
            <source>Suppliers</source>
            <translation>الموردون</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="211" />
            <source>Suppliers and vehicle models</source>
            <translation>الموردون وطرازات المركبات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="53" />
            <source>Type</source>
            <translation>النوع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="213" />
            <source>Vehicle models</source>
            <translation>طرازات المركبات</translation>
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
            <translation>هل تريد الإغلاق دون حفظ القراءات المُدخلة؟</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="161" />
            <source>Conclusion</source>
            <translation>الخلاصة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="137" />
            <source>Correct report {number}</source>
            <translation>تصحيح التقرير {number}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="198" />
            <source>Every reading is in; {keys} saves the report.</source>
            <translation>أُدخلت جميع القراءات؛ {keys} يحفظ التقرير.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="155" />
            <source>ISO/IEC 17025 accreditation</source>
            <translation>اعتماد ISO/IEC 17025</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="153" />
            <source>Internal / external</source>
            <translation>داخلي / خارجي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="153" />
            <source>Laboratory</source>
            <translation>المختبر</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="160" />
            <source>Laboratory's result (reports without readings)</source>
            <translation>نتيجة المختبر (تقارير بلا قراءات)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="135" />
            <source>New test report</source>
            <translation>تقرير اختبار جديد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="159" />
            <source>Operator</source>
            <translation>المشغّل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="164" />
            <source>Reason for the correction</source>
            <translation>سبب التصحيح</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="156" />
            <source>Sample size</source>
            <translation>حجم العينة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="152" />
            <source>Standard (e.g. ISO 9227)</source>
            <translation>المعيار (مثلًا ISO 9227)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="157" />
            <source>Subgroup size (1: individual readings)</source>
            <translation>حجم المجموعة الفرعية (1: قراءات فردية)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="158" />
            <source>Tested on</source>
            <translation>تاريخ الاختبار</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="205" />
            <source>This part revision has no characteristics yet, so there is nothing to measure: use “Add characteristic…” or “Import characteristics…” on the Evidence tab, then record the readings. A report without readings (a material certificate, a test result) can be recorded now.</source>
            <translation>ليس لمراجعة القطعة هذه خصائص بعد، فلا شيء للقياس: استعمل «إضافة خاصية…» أو «استيراد الخصائص…» في تبويب الأدلة، ثم سجّل القراءات. يمكن تسجيل تقرير بلا قراءات (شهادة مادة، نتيجة اختبار) الآن.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="151" />
            <source>Title</source>
            <translation>العنوان</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="151" />
            <source>Type</source>
            <translation>النوع</translation>
        </message>
    </context>
    <context>
        <name>Retention</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="302" />
            <source>%Ln records past retention</source>
            <translation>
                <numerusform>%Ln سجل تجاوز مدة الحفظ</numerusform>
                <numerusform>سجل واحد تجاوز مدة الحفظ</numerusform>
                <numerusform>سجلان تجاوز مدة الحفظ</numerusform>
                <numerusform>%Ln سجلات تجاوز مدة الحفظ</numerusform>
                <numerusform>%Ln سجلًا تجاوز مدة الحفظ</numerusform>
                <numerusform>%Ln سجل تجاوز مدة الحفظ</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="225" />
            <source>%Ln years</source>
            <translation>
                <numerusform>%Ln سنة</numerusform>
                <numerusform>سنة واحدة</numerusform>
                <numerusform>سنتان</numerusform>
                <numerusform>%Ln سنوات</numerusform>
                <numerusform>%Ln سنة</numerusform>
                <numerusform>%Ln سنة</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="188" />
            <source>Any other customer: 1 year.</source>
            <translation>أي زبون آخر: سنة واحدة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="114" />
            <source>Choose a part revision.</source>
            <translation>اختر مراجعة قطعة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="167" />
            <source>Customer (as named on its vehicle models)</source>
            <translation>الزبون (كما يُسمّى في طرازات مركباته)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="291" />
            <source>Customers' periods…</source>
            <translation>مدد الزبائن…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="166" />
            <source>Customers' retention periods</source>
            <translation>مدد الحفظ لدى الزبائن</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="87" />
            <source>End of production</source>
            <translation>نهاية الإنتاج</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="290" />
            <source>End of production…</source>
            <translation>نهاية الإنتاج…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="224" />
            <source>Kept for</source>
            <translation>مدة الحفظ</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="227" />
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="236" />
            <source>Kept until</source>
            <translation>يُحفظ حتى</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="89" />
            <source>Last day of series production</source>
            <translation>آخر يوم من الإنتاج التسلسلي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="89" />
            <source>Note</source>
            <translation>ملاحظة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="243" />
            <source>Number or name</source>
            <translation>الرقم أو الاسم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="220" />
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="239" />
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="88" />
            <source>Part revision</source>
            <translation>مراجعة القطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="222" />
            <source>Production ended</source>
            <translation>انتهى الإنتاج</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="241" />
            <source>Record</source>
            <translation>السجل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="230" />
            <source>Records</source>
            <translation>السجلات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="286" />
            <source>Records are kept until the end of production plus one calendar year, or as long as the part's customer requires. Records past that date are listed below for review: nothing is deleted automatically.</source>
            <translation>تُحفظ السجلات حتى نهاية الإنتاج زائد سنة ميلادية، أو طوال المدة التي يشترطها زبون القطعة. السجلات التي تجاوزت ذلك التاريخ مُدرجة أدناه للمراجعة: لا يُحذف شيء تلقائياً.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="88" />
            <source>Search parts</source>
            <translation>البحث في القطع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="169" />
            <source>Where the customer requires it</source>
            <translation>حيث يشترط الزبون ذلك</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="168" />
            <source>Years after the end of production</source>
            <translation>سنوات بعد نهاية الإنتاج</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="186" />
            <source>{customer}: %Ln years</source>
            <translation>
                <numerusform>{customer}: %Ln سنة</numerusform>
                <numerusform>{customer}: سنة واحدة</numerusform>
                <numerusform>{customer}: سنتان</numerusform>
                <numerusform>{customer}: %Ln سنوات</numerusform>
                <numerusform>{customer}: %Ln سنة</numerusform>
                <numerusform>{customer}: %Ln سنة</numerusform>
            </translation>
        </message>
        <message>
            <source>{customer}: {years} year(s)</source>
            <translation type="vanished">{customer}: {years} سنة</translation>
        </message>
        <message>
            <source>{n} record(s) past retention</source>
            <translation type="vanished">{n} سجل تجاوز مدة الحفظ</translation>
        </message>
        <message>
            <source>{years} year(s)</source>
            <translation type="vanished">{years} سنة</translation>
        </message>
    </context>
    <context>
        <name>Roadmap</name>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="57" />
            <source>1 Plan and Define Programme</source>
            <translation>1 تخطيط البرنامج وتحديده</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="58" />
            <source>2 Product Design and Development</source>
            <translation>2 تصميم المنتج وتطويره</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="59" />
            <source>3 Process Design and Development</source>
            <translation>3 تصميم العملية وتطويرها</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="60" />
            <source>4 Product and Process Validation</source>
            <translation>4 المصادقة على المنتج والعملية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="61" />
            <source>5 Feedback, Assessment and Corrective Action</source>
            <translation>5 التغذية الراجعة والتقييم والإجراءات التصحيحية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="36" />
            <source>Achieved</source>
            <translation>محقَّقة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="38" />
            <source>At risk</source>
            <translation>معرّضة للخطر</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="73" />
            <source>Carmaker</source>
            <translation>مصنّع السيارات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="42" />
            <source>In progress</source>
            <translation>قيد الإنجاز</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="39" />
            <source>Late</source>
            <translation>متأخرة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="40" />
            <source>Missed</source>
            <translation>غير محقَّقة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="37" />
            <source>On track</source>
            <translation>تسير وفق الخطة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="41" />
            <source>Planned</source>
            <translation>مخططة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="72" />
            <source>Supplier</source>
            <translation>المورّد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="82" />
            <source>{status} (set by hand; the rate gives {computed})</source>
            <translation>{status} (محدّدة يدوياً؛ النسبة تعطي {computed})</translation>
        </message>
    </context>
    <context>
        <name>RoadmapCli</name>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="275" />
            <source>  at least {target} at the end of year {years} — {source}</source>
            <translation>  على الأقل {target} في نهاية السنة {years} — {source}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="284" />
            <source>  cut ends as soon as the rate is reached: {answer} — {source}</source>
            <translation>  ينتهي التخفيض بمجرد بلوغ النسبة: {answer} — {source}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="280" />
            <source>  missed milestone: {months} months of grace — {source}</source>
            <translation>  معلم غير محقَّق: {months} شهراً من المهلة الإضافية — {source}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="287" />
            <source>  still missed at the end, supply frozen: {answer} — {source}</source>
            <translation>  إذا بقي غير محقَّق في النهاية يُجمَّد التموين: {answer} — {source}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="282" />
            <source>  supply programme cut by {cut} during the grace — {source}</source>
            <translation>  تخفيض برنامج التموين بمقدار {cut} خلال المهلة — {source}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="274" />
            <source> (defaults)</source>
            <translation> (افتراضي)</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/roadmap.py" line="304" />
            <source>%Ln remaining</source>
            <translation>
                <numerusform>يتبقى %Ln قطعة</numerusform>
                <numerusform>يتبقى قطعة واحدة</numerusform>
                <numerusform>يتبقى قطعتان</numerusform>
                <numerusform>يتبقى %Ln قطع</numerusform>
                <numerusform>يتبقى %Ln قطعة</numerusform>
                <numerusform>يتبقى %Ln قطعة</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/roadmap.py" line="301" />
            <source>%Ln remaining, ends on {day} at the latest</source>
            <translation>
                <numerusform>يتبقى %Ln قطعة، وينتهي في {day} على أبعد تقدير</numerusform>
                <numerusform>يتبقى قطعة واحدة، وينتهي في {day} على أبعد تقدير</numerusform>
                <numerusform>يتبقى قطعتان، وينتهي في {day} على أبعد تقدير</numerusform>
                <numerusform>يتبقى %Ln قطع، وينتهي في {day} على أبعد تقدير</numerusform>
                <numerusform>يتبقى %Ln قطعة، وينتهي في {day} على أبعد تقدير</numerusform>
                <numerusform>يتبقى %Ln قطعة، وينتهي في {day} على أبعد تقدير</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="171" />
            <source>(set by hand; the rate gives {computed}) </source>
            <translation>(محدّدة يدوياً؛ النسبة تعطي {computed}) </translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="317" />
            <source>Delivery of {n} × {part} recorded.</source>
            <translation>سُجّل تسليم {n} × {part}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="207" />
            <source>Dry run: nothing was saved.</source>
            <translation>تشغيل تجريبي: لم يُحفظ شيء.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="114" />
            <source>Grace period until {day}; supply programme at {factor} of plan.</source>
            <translation>فترة السماح حتى {day}؛ برنامج التموين عند {factor} من المخطط.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="225" />
            <source>Linked {part} to {set}.</source>
            <translation>رُبطت {part} بـ {set}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="110" />
            <source>Next milestone: {day}, at least {target} (forecast {forecast})</source>
            <translation>المعلم التالي: {day}، على الأقل {target} (التوقع {forecast})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="328" />
            <source>No interim approval limited by quantity.</source>
            <translation>لا يوجد اعتماد مؤقت محدود بالكمية.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="163" />
            <source>No step.</source>
            <translation>لا توجد مرحلة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="143" />
            <source>No vehicle model yet.</source>
            <translation>لا يوجد طراز مركبة بعد.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="105" />
            <source>Rate on {day}: {rate}   (list totals {total}, {short} missing)</source>
            <translation>النسبة في {day}: {rate}   (مجموع القائمة {total}، الناقص {short})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="272" />
            <source>Regulatory rules of {model}{default}</source>
            <translation>القواعد التنظيمية للطراز {model}{default}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="346" />
            <source>Report written: {path}</source>
            <translation>كُتب التقرير: {path}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="117" />
            <source>Rules: {months} months of grace, supply cut by {cut}, {ends}, {freeze} (partdesk roadmap rules {code})</source>
            <translation>القواعد: {months} شهراً من المهلة الإضافية، تخفيض التموين بمقدار {cut}، {ends}، {freeze} (partdesk roadmap rules {code})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="239" />
            <source>Step {code} signed for the {party}.</source>
            <translation>وُقّعت المرحلة {code} عن {party}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="184" />
            <source>Step {code}: {status} {mismatch}</source>
            <translation>المرحلة {code}: {status} {mismatch}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="132" />
            <source>Total: {rate}</source>
            <translation>المجموع: {rate}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="120" />
            <source>cut ends when the rate is reached</source>
            <translation>ينتهي التخفيض عند بلوغ النسبة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="121" />
            <source>cut lasts the whole grace</source>
            <translation>يستمر التخفيض طوال المهلة</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/roadmap.py" line="161" />
            <source>late by %Ln days</source>
            <translation>
                <numerusform>متأخرة بـ %Ln يوم</numerusform>
                <numerusform>متأخرة بـ يوم واحد</numerusform>
                <numerusform>متأخرة بـ يومين</numerusform>
                <numerusform>متأخرة بـ %Ln أيام</numerusform>
                <numerusform>متأخرة بـ %Ln يومًا</numerusform>
                <numerusform>متأخرة بـ %Ln يوم</numerusform>
            </translation>
        </message>
        <message>
            <source>late by {n} days</source>
            <translation type="vanished">متأخرة بـ {n} يوم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="249" />
            <source>no</source>
            <translation>لا</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="123" />
            <source>no freeze</source>
            <translation>بلا تجميد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="299" />
            <source>quantity shipped: ended on {day}</source>
            <translation>الكمية المسلَّمة: انتهى في {day}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="122" />
            <source>then frozen</source>
            <translation>ثم التجميد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="249" />
            <source>yes</source>
            <translation>نعم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="101" />
            <source>{code} — {name}   approved {approval}   state: {state}</source>
            <translation>{code} — {name}   اعتُمد في {approval}   الحالة: {state}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="201" />
            <source>{model}: {rows} sets, {added} added, {changed} changed, {removed} removed; the list totals {total} ({short} missing).</source>
            <translation>{model}: {rows} مجموعة، {added} مضافة، {changed} معدَّلة، {removed} محذوفة؛ مجموع القائمة {total} (الناقص {short}).</translation>
        </message>
        <message>
            <source>{n} remaining</source>
            <translation type="vanished">يتبقى {n}</translation>
        </message>
        <message>
            <source>{n} remaining, ends on {day} at the latest</source>
            <translation type="vanished">يتبقى {n}، وينتهي في {day} على أبعد تقدير</translation>
        </message>
    </context>
    <context>
        <name>RoadmapPage</name>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="227" />
            <source>Add a milestone</source>
            <translation>إضافة معلم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="218" />
            <source>Add a set…</source>
            <translation>إضافة مجموعة…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="224" />
            <source>Add a step…</source>
            <translation>إضافة مرحلة…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="392" />
            <source>Choose a set first.</source>
            <translation>اختر مجموعة أولًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="405" />
            <source>Choose a set with a linked part first.</source>
            <translation>اختر أولًا مجموعة بها قطعة مرتبطة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="484" />
            <source>Choose a step first.</source>
            <translation>اختر مرحلة أولًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="231" />
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="234" />
            <source>Code</source>
            <translation>الرمز</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="231" />
            <source>Contributory rate</source>
            <translation>نسبة المساهمة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="232" />
            <source>Counts for</source>
            <translation>يُحتسب لـ</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="235" />
            <source>Days late</source>
            <translation>أيام التأخير</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="219" />
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="225" />
            <source>Edit…</source>
            <translation>تعديل…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="238" />
            <source>End of year</source>
            <translation>نهاية السنة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="510" />
            <source>Export report</source>
            <translation>تصدير التقرير</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="214" />
            <source>Export report…</source>
            <translation>تصدير التقرير…</translation>
        </message>
        <message>
            <source>Forecast date</source>
            <translation type="vanished">التاريخ المتوقع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="223" />
            <source>Import from .xlsx…</source>
            <translation>استيراد من ‎.xlsx…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="448" />
            <source>Import the reference list?</source>
            <translation>استيراد القائمة المرجعية؟</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="462" />
            <source>Importing the reference list</source>
            <translation>جارٍ استيراد القائمة المرجعية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="231" />
            <source>Kind</source>
            <translation>النوع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="221" />
            <source>Link a local part…</source>
            <translation>ربط قطعة محلية…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="303" />
            <source>List total {total} % — {short} % missing — rate today {rate} %</source>
            <translation>مجموع القائمة {total} % — الناقص {short} % — النسبة اليوم {rate} %</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="232" />
            <source>Local parts</source>
            <translation>القطع المحلية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="499" />
            <source>Milestones saved.</source>
            <translation>تم حفظ المعالم.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="238" />
            <source>Minimum rate (%)</source>
            <translation>النسبة الدنيا (%)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="170" />
            <source>No late step.</source>
            <translation>لا توجد مرحلة متأخرة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="172" />
            <source>No roadmap step for this model yet: add one with “Add a step…”.</source>
            <translation>لا توجد مرحلة في خارطة الطريق لهذا الطراز بعد: أضف مرحلة عبر «إضافة مرحلة…».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="167" />
            <source>No set in this model's reference list yet: add sets with “Add a set…” or import the list.</source>
            <translation>لا توجد مجموعة في القائمة المرجعية لهذا الطراز بعد: أضف مجموعات عبر «إضافة مجموعة…» أو استورد القائمة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="322" />
            <source>No vehicle model yet: add one with “Suppliers and models…” on the Parts page.</source>
            <translation>لا يوجد طراز مركبة بعد: أضف طرازًا عبر «الموردون والطرازات…» في صفحة القطع.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="236" />
            <source>Owner</source>
            <translation>المكلَّف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="511" />
            <source>PDF (*.pdf);;Excel (*.xlsx)</source>
            <translation>PDF (*.pdf);;Excel (*.xlsx)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="409" />
            <source>Part no longer realising {code}:</source>
            <translation>القطعة التي لم تعد تحقق {code}:</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="235" />
            <source>Rate on its date</source>
            <translation>النسبة في تاريخها</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="238" />
            <source>Reference</source>
            <translation>المرجع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="215" />
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="425" />
            <source>Reference list</source>
            <translation>القائمة المرجعية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="463" />
            <source>Reference list imported.</source>
            <translation>استُوردت القائمة المرجعية.</translation>
        </message>
        <message>
            <source>Regulatory milestones</source>
            <translation type="vanished">المعالم التنظيمية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="217" />
            <source>Regulatory rules</source>
            <translation>القواعد التنظيمية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="220" />
            <source>Remove</source>
            <translation>إزالة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="446" />
            <source>Removed sets lose their links to parts: {codes}</source>
            <translation>تفقد المجموعات المحذوفة روابطها بالقطع: {codes}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="520" />
            <source>Report written: {path}</source>
            <translation>كُتب التقرير: {path}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="210" />
            <source>Roadmap</source>
            <translation>خارطة الطريق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="213" />
            <source>Roadmap and reference lists of</source>
            <translation>خارطة الطريق والقوائم المرجعية لـ</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="216" />
            <source>Roadmap steps</source>
            <translation>مراحل خارطة الطريق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="229" />
            <source>Rules for a missed milestone…</source>
            <translation>قواعد المعلم غير المحقَّق…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="228" />
            <source>Save the milestones</source>
            <translation>حفظ المعالم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="231" />
            <source>Set</source>
            <translation>المجموعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="226" />
            <source>Sign off…</source>
            <translation>مصادقة…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="236" />
            <source>Signed by both</source>
            <translation>موقَّعة من الطرفين</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="235" />
            <source>Status</source>
            <translation>الوضع</translation>
        </message>
        <message>
            <source>Tables (*.xlsx *.csv)</source>
            <translation type="vanished">الجداول (*.xlsx *.csv)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="426" />
            <source>Tables (*.xlsx *.xls *.ods *.csv)</source>
            <translation>جداول (*.xlsx *.xls *.ods *.csv)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="234" />
            <source>Target date</source>
            <translation>التاريخ المستهدف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="234" />
            <source>Target rate</source>
            <translation>النسبة المستهدفة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="234" />
            <source>Title</source>
            <translation>العنوان</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="408" />
            <source>Unlink a part</source>
            <translation>فك ربط قطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="222" />
            <source>Unlink a part…</source>
            <translation>فك ربط قطعة…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="232" />
            <source>Why</source>
            <translation>السبب</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="307" />
            <source>[edited at two sites] </source>
            <translation>[عُدّلت في موقعين] </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="310" />
            <source>no</source>
            <translation>لا</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="310" />
            <source>yes</source>
            <translation>نعم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="440" />
            <source>{model}: {rows} sets — {added} added, {changed} changed, {removed} removed. The list totals {total} % ({short} % missing).</source>
            <translation>{model}: {rows} مجموعة — {added} مضافة، {changed} معدَّلة، {removed} محذوفة. مجموع القائمة {total} % (الناقص {short} %).</translation>
        </message>
    </context>
    <context>
        <name>RoadmapReport</name>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="140" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="83" />
            <source>Approval date</source>
            <translation>تاريخ الاعتماد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="60" />
            <source>Baseline / forecast</source>
            <translation>الأساس / التوقّع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="121" />
            <source>Baseline date</source>
            <translation>التاريخ المرجعي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="100" />
            <source>Code</source>
            <translation>الرمز</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="126" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="63" />
            <source>Components (APQP phase, volumes)</source>
            <translation>المكوّنات (مرحلة APQP، الأحجام)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="103" />
            <source>Contributory rate</source>
            <translation>نسبة المساهمة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="104" />
            <source>Counted</source>
            <translation>محتسبة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="110" />
            <source>Date</source>
            <translation>التاريخ</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="130" />
            <source>End of year {n}</source>
            <translation>نهاية السنة {n}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="113" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="88" />
            <source>Forecast</source>
            <translation>التوقع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="122" />
            <source>Forecast date</source>
            <translation>التاريخ المتوقع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="141" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="169" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="121" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="84" />
            <source>Integration rate</source>
            <translation>نسبة الإدماج</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="259" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="266" />
            <source>Integration rate and roadmap</source>
            <translation>نسبة الإدماج وخارطة الطريق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="102" />
            <source>Kind</source>
            <translation>النوع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="124" />
            <source>Late (days)</source>
            <translation>التأخير (أيام)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="106" />
            <source>Local parts</source>
            <translation>القطع المحلية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="109" />
            <source>Milestone</source>
            <translation>المعلم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="116" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="82" />
            <source>Model</source>
            <translation>الطراز</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="144" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="86" />
            <source>Next milestone</source>
            <translation>المعلم التالي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="125" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="62" />
            <source>Owner</source>
            <translation>المكلَّف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="284" />
            <source>Page {n}</source>
            <translation>الصفحة {n}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="112" />
            <source>Rate reached</source>
            <translation>النسبة المحقَّقة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="269" />
            <source>Rates follow the reference list of each model (order of 18 October 2023); milestones per decree 22-384 art. 5 as configured; a missed milestone opens 12 months with the supply programme cut by 25 %, then a freeze (decree 24-159 art. 30).</source>
            <translation>تتبع النسب القائمة المرجعية لكل طراز (قرار 18 أكتوبر 2023)؛ المعالم وفق المرسوم 22-384 المادة 5 كما هي مضبوطة؛ عدم تحقيق معلم يفتح 12 شهرًا مع تخفيض برنامج التموين بنسبة 25 %، ثم التجميد (المرسوم 24-159 المادة 30).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="142" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="85" />
            <source>Reference list total</source>
            <translation>مجموع القائمة المرجعية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="127" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="64" />
            <source>Required evidence</source>
            <translation>الأدلة المطلوبة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="137" />
            <source>Roadmap</source>
            <translation>خارطة الطريق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="198" />
            <source>Roadmap steps</source>
            <translation>مراحل خارطة الطريق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="101" />
            <source>Set</source>
            <translation>المجموعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="128" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="65" />
            <source>Sign-offs</source>
            <translation>المصادقات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="253" />
            <source>Site: {site} — situation on {day} — printed {at}</source>
            <translation>الموقع: {site} — الوضعية في {day} — طُبع في {at}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="148" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="89" />
            <source>State</source>
            <translation>الحالة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="123" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="61" />
            <source>Status</source>
            <translation>الوضع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="117" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="57" />
            <source>Step</source>
            <translation>المرحلة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="81" />
            <source>Summary</source>
            <translation>الملخص</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="111" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="59" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="87" />
            <source>Target</source>
            <translation>الهدف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="120" />
            <source>Target date</source>
            <translation>التاريخ المستهدف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="119" />
            <source>Target rate</source>
            <translation>النسبة المستهدفة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="118" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="58" />
            <source>Title</source>
            <translation>العنوان</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="105" />
            <source>Why</source>
            <translation>السبب</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="132" />
            <source>no</source>
            <translation>لا</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="240" />
            <source>red: regulatory minimum; blue: forecast</source>
            <translation>الأحمر: الحد الأدنى التنظيمي؛ الأزرق: التوقع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="149" />
            <source>until {day}</source>
            <translation>حتى {day}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="131" />
            <source>yes</source>
            <translation>نعم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="52" />
            <source>{day} — at least {target} (forecast {forecast})</source>
            <translation>{day} — على الأقل {target} (التوقع {forecast})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="68" />
            <source>{n} days late</source>
            <translation>متأخر {n} يوماً</translation>
        </message>
    </context>
    <context>
        <name>RoleDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="172" />
            <source>Change role</source>
            <translation>تغيير الدور</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="173" />
            <source>Role of {name} ({user})</source>
            <translation>دور {name} ({user})</translation>
        </message>
    </context>
    <context>
        <name>Roles</name>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="23" />
            <source>Administrator</source>
            <translation>مسؤول</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="22" />
            <source>Approver</source>
            <translation>معتمِد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="20" />
            <source>Engineer</source>
            <translation>مهندس</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="21" />
            <source>Quality inspector</source>
            <translation>مفتش جودة</translation>
        </message>
    </context>
    <context>
        <name>ScopeDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="263" />
            <source>Site {code} ({name}) may write these kinds of record here.</source>
            <translation>يُسمح للموقع {code} ({name}) بكتابة أنواع السجلات التالية هنا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="266" />
            <source>The defaults of its kind</source>
            <translation>الإعدادات الافتراضية لنوعه</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="262" />
            <source>What {code} may write here</source>
            <translation>ما يُسمح لـ {code} بكتابته هنا</translation>
        </message>
    </context>
    <context>
        <name>SetDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="108" />
            <source>Code</source>
            <translation>الرمز</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="111" />
            <source>Contributory rate (%)</source>
            <translation>نسبة المساهمة (%)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="110" />
            <source>Kind</source>
            <translation>النوع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="109" />
            <source>Name</source>
            <translation>الاسم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="113" />
            <source>Set of the reference list</source>
            <translation>مجموعة القائمة المرجعية</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="78" />
            <source> MB</source>
            <translation> م.ب</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="72" />
            <source> min without input</source>
            <translation> دقيقة دون إدخال</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="70" />
            <source>Language</source>
            <translation>اللغة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="77" />
            <source>Largest attachment</source>
            <translation>أكبر مرفق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="71" />
            <source>Lock after</source>
            <translation>القفل بعد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="73" />
            <source>Never</source>
            <translation>أبدًا</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="69" />
            <source>Settings</source>
            <translation>الإعدادات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="75" />
            <source>When nobody touches the keyboard or mouse for this long, PartDesk hides the data until the same person enters their password again.</source>
            <translation>إذا لم يلمس أحد لوحة المفاتيح أو الفأرة طوال هذه المدة، يخفي PartDesk البيانات حتى يُدخل الشخص نفسه كلمة المرور مجددًا.</translation>
        </message>
    </context>
    <context>
        <name>SetupChecklist</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="104" />
            <source>Add a person…</source>
            <translation>إضافة شخص…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="105" />
            <source>Add suppliers and models…</source>
            <translation>إضافة موردين وطرازات…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="161" />
            <source>Done</source>
            <translation>تمّ</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="123" />
            <source>Each part names its supplier and the vehicle models it goes into: add at least one of each.</source>
            <translation>تذكر كل قطعة مورّدها وطرازات المركبات التي تدخل فيها: أضف واحدًا على الأقل من كل منهما.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="117" />
            <source>Engineers who may register parts: {n}.</source>
            <translation>المهندسون الذين يحق لهم تسجيل القطع: {n}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="108" />
            <source>Enrol a site on the Sync page…</source>
            <translation>تسجيل موقع في صفحة المزامنة…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="139" />
            <source>Enrol the key of each site you exchange packages with.</source>
            <translation>سجّل مفتاح كل موقع تتبادل معه الحزم.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="153" />
            <source>Hide the steps</source>
            <translation>إخفاء الخطوات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="149" />
            <source>Next: {step}.</source>
            <translation>التالي: {step}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="118" />
            <source>Only an engineer may register parts and record tests. Add the people who work here, with their roles.</source>
            <translation>لا يحق تسجيل القطع والاختبارات إلا لمهندس. أضف الأشخاص الذين يعملون هنا مع أدوارهم.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="101" />
            <source>Other sites</source>
            <translation>المواقع الأخرى</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="138" />
            <source>Other sites enrolled: {n}.</source>
            <translation>المواقع الأخرى المسجلة: {n}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="99" />
            <source>Parts</source>
            <translation>القطع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="127" />
            <source>Parts registered: {n}.</source>
            <translation>القطع المسجلة: {n}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="97" />
            <source>People</source>
            <translation>الأشخاص</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="106" />
            <source>Register a part…</source>
            <translation>تسجيل قطعة…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="128" />
            <source>Register the first part, or import a sheet of parts on the Parts page.</source>
            <translation>سجّل القطعة الأولى، أو استورد ورقة قطع في صفحة القطع.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="107" />
            <source>Save the key on the Sync page…</source>
            <translation>حفظ المفتاح في صفحة المزامنة…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="134" />
            <source>Save this site's public key and read its fingerprint to the other sites, so they can trust its packages and certificates.</source>
            <translation>احفظ المفتاح العام لهذا الموقع واقرأ بصمته على المواقع الأخرى، لتثق بحزمه وشهاداته.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="95" />
            <source>Setting up this site</source>
            <translation>إعداد هذا الموقع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="152" />
            <source>Show the steps</source>
            <translation>عرض الخطوات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="147" />
            <source>Steps done: {done} of {total}.</source>
            <translation>الخطوات المنجزة: {done} من {total}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="98" />
            <source>Suppliers and vehicle models</source>
            <translation>الموردون وطرازات المركبات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="122" />
            <source>Suppliers and vehicle models: {n}.</source>
            <translation>الموردون وطرازات المركبات: {n}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="100" />
            <source>This site's key</source>
            <translation>مفتاح هذا الموقع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="132" />
            <source>This site's public key was saved for the other sites.</source>
            <translation>حُفظ المفتاح العام لهذا الموقع للمواقع الأخرى.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="162" />
            <source>To do</source>
            <translation>للإنجاز</translation>
        </message>
    </context>
    <context>
        <name>Shortcuts</name>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="224" />
            <source>&amp;Keyboard shortcuts…</source>
            <translation>&amp;اختصارات لوحة المفاتيح…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="140" />
            <source>Change the reading of the cell</source>
            <translation>تعديل قراءة الخلية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="144" />
            <source>Clear the reading of the cell</source>
            <translation>مسح قراءة الخلية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="122" />
            <source>Close without saving</source>
            <translation>الإغلاق دون حفظ</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/shortcuts_dialog.py" line="60" />
            <source>Does</source>
            <translation>الوظيفة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="142" />
            <source>Drop what was typed in the cell</source>
            <translation>إلغاء ما كُتب في الخلية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/shortcuts_dialog.py" line="53" />
            <source>Everything can be done from the keyboard. In the measurement grid, type a reading into the chosen cell; a USB gauge or a footswitch that types like a keyboard works the same way, and so does a barcode scanner in any search field. On a French (AZERTY) keyboard, the digits of Ctrl+1 … Ctrl+8 are those of the numeric keypad, or of the top row with Shift.</source>
            <translation>يمكن القيام بكل شيء من لوحة المفاتيح. في شبكة القياسات، اكتب القراءة في الخلية المختارة؛ ويعمل جهاز القياس الموصول عبر USB أو دوّاسة القدم التي تكتب مثل لوحة المفاتيح بالطريقة نفسها، وكذلك قارئ الرموز الشريطية في أي حقل بحث. على لوحة المفاتيح الفرنسية (AZERTY)، أرقام Ctrl+1 … Ctrl+8 هي أرقام لوحة الأرقام الجانبية، أو أرقام الصف العلوي مع Shift.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="110" />
            <source>Export a sync package</source>
            <translation>تصدير حزمة مزامنة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="112" />
            <source>Import a sync package</source>
            <translation>استيراد حزمة مزامنة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="106" />
            <source>Import parts from a sheet (Excel, ODS or CSV)</source>
            <translation>استيراد القطع من جدول (Excel أو ODS أو CSV)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="35" />
            <source>In a dialog</source>
            <translation>في نافذة حوار</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="36" />
            <source>In a search field</source>
            <translation>في حقل بحث</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="37" />
            <source>In the measurement grid</source>
            <translation>في شبكة القياسات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="136" />
            <source>Keep the reading and go across to the next characteristic</source>
            <translation>حفظ القراءة والانتقال إلى الخاصية التالية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="138" />
            <source>Keep the reading and go back to the previous characteristic</source>
            <translation>حفظ القراءة والعودة إلى الخاصية السابقة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="134" />
            <source>Keep the reading and go back up</source>
            <translation>حفظ القراءة والعودة إلى الأعلى</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="130" />
            <source>Keep the reading and go down to the next sample; after the last sample, to the next empty cell; on an empty cell (a footswitch), move on</source>
            <translation>حفظ القراءة والنزول إلى العينة التالية؛ وبعد آخر عينة، الانتقال إلى الخلية الفارغة التالية؛ وعلى خلية فارغة (دوّاسة القدم)، المتابعة دون كتابة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/shortcuts_dialog.py" line="52" />
            <source>Keyboard shortcuts</source>
            <translation>اختصارات لوحة المفاتيح</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/shortcuts_dialog.py" line="60" />
            <source>Keys</source>
            <translation>المفاتيح</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="118" />
            <source>List the keyboard shortcuts</source>
            <translation>عرض قائمة اختصارات لوحة المفاتيح</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="115" />
            <source>Lock the window now</source>
            <translation>قفل النافذة الآن</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="34" />
            <source>Main actions</source>
            <translation>الإجراءات الرئيسية</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="105" />
            <source>New part</source>
            <translation>قطعة جديدة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="125" />
            <source>Open what the typed or scanned code names exactly (a part number, a gauge, a submission or certificate number); otherwise search for it</source>
            <translation>فتح ما يدل عليه الرمز المكتوب أو الممسوح تمامًا (رقم قطعة، أداة قياس، رقم تقديم أو شهادة)؛ وإلا البحث عنه</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="33" />
            <source>Pages</source>
            <translation>الصفحات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="108" />
            <source>Print the certificate chosen in the register</source>
            <translation>طباعة الشهادة المختارة في السجل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="117" />
            <source>Quit</source>
            <translation>خروج</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="114" />
            <source>Reload the page</source>
            <translation>إعادة تحميل الصفحة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="121" />
            <source>Save</source>
            <translation>حفظ</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="102" />
            <source>Search on this page (the parts registry where a page has no search)</source>
            <translation>البحث في هذه الصفحة (في سجل القطع إن لم يكن في الصفحة بحث)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="90" />
            <source>Show certification: submissions and the certificate register</source>
            <translation>عرض الاعتماد: التقديمات وسجل الشهادات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="95" />
            <source>Show sync: packages and sites</source>
            <translation>عرض المزامنة: الحزم والمواقع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="97" />
            <source>Show the conflicts to merge</source>
            <translation>عرض التعارضات المطلوب دمجها</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="84" />
            <source>Show the dashboard</source>
            <translation>عرض لوحة المتابعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="88" />
            <source>Show the gauges register</source>
            <translation>عرض سجل أدوات القياس</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="86" />
            <source>Show the parts registry</source>
            <translation>عرض سجل القطع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="99" />
            <source>Show the people and their roles</source>
            <translation>عرض الأشخاص وأدوارهم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="93" />
            <source>Show the roadmap</source>
            <translation>عرض خارطة الطريق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="260" />
            <source>“{action}”: choose what it applies to first.</source>
            <translation>«{action}»: اختر أولًا ما ينطبق عليه.</translation>
        </message>
    </context>
    <context>
        <name>SignInDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="147" />
            <source>Checking the password…</source>
            <translation>جارٍ التحقق من كلمة المرور…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="145" />
            <source>Language</source>
            <translation>اللغة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="138" />
            <source>PartDesk — Sign in</source>
            <translation>PartDesk — تسجيل الدخول</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="144" />
            <source>Password</source>
            <translation>كلمة المرور</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="148" />
            <source>Quit</source>
            <translation>خروج</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="146" />
            <source>Sign in</source>
            <translation>تسجيل الدخول</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="139" />
            <source>Sign in to PartDesk</source>
            <translation>تسجيل الدخول إلى PartDesk</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="141" />
            <source>Site {code} — {name}</source>
            <translation>الموقع {code} — {name}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="143" />
            <source>User name</source>
            <translation>اسم المستخدم</translation>
        </message>
    </context>
    <context>
        <name>SignOffDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="334" />
            <source>Comment</source>
            <translation>تعليق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="336" />
            <source>Sign off step {code}</source>
            <translation>المصادقة على المرحلة {code}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="333" />
            <source>Signing for</source>
            <translation>التوقيع عن</translation>
        </message>
    </context>
    <context>
        <name>Sites</name>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="173" />
            <source>Carmaker</source>
            <translation>مصنّع سيارات</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="172" />
            <source>Plant</source>
            <translation>مصنع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="171" />
            <source>Supplier</source>
            <translation>مورّد</translation>
        </message>
    </context>
    <context>
        <name>StepDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="214" />
            <source>APQP phase</source>
            <translation>مرحلة APQP</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="232" />
            <source>Baseline date</source>
            <translation>التاريخ المرجعي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="228" />
            <source>Code</source>
            <translation>الرمز</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="214" />
            <source>Component</source>
            <translation>المكوّن</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="194" />
            <source>Computed from the integration rate</source>
            <translation>محسوبة من نسبة الإدماج</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="204" />
            <source>Computed: {status}</source>
            <translation>محسوبة: {status}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="233" />
            <source>Forecast date</source>
            <translation>التاريخ المتوقع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="215" />
            <source>Local</source>
            <translation>محلي</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="230" />
            <source>Milestone (end of year n)</source>
            <translation>المعلم (نهاية السنة n)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="234" />
            <source>Owner</source>
            <translation>المكلَّف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="214" />
            <source>Part</source>
            <translation>القطعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="236" />
            <source>Planned vehicles</source>
            <translation>المركبات المخطَّطة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="237" />
            <source>Required evidence (one per line)</source>
            <translation>الأدلة المطلوبة (واحد في كل سطر)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="202" />
            <source>Required when the status is set by hand</source>
            <translation>مطلوب عند تحديد الحالة يدوياً</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="241" />
            <source>Roadmap step</source>
            <translation>مرحلة خارطة الطريق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="215" />
            <source>Set</source>
            <translation>المجموعة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="234" />
            <source>Status</source>
            <translation>الوضع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="231" />
            <source>Target date</source>
            <translation>التاريخ المستهدف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="229" />
            <source>Target rate (%)</source>
            <translation>النسبة المستهدفة (%)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="228" />
            <source>Title</source>
            <translation>العنوان</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="214" />
            <source>Volumes</source>
            <translation>الأحجام</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="217" />
            <source>Volumes (2027-Q1: 1200; 2027-Q2: 3000)</source>
            <translation>الأحجام (2027-Q1: 1200; 2027-Q2: 3000)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="235" />
            <source>Why set by hand</source>
            <translation>سبب التحديد اليدوي</translation>
        </message>
    </context>
    <context>
        <name>StepTimelineWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/step_timeline.py" line="38" />
            <source>No roadmap step yet.</source>
            <translation>لا توجد مرحلة في خارطة الطريق بعد.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/step_timeline.py" line="37" />
            <source>Today</source>
            <translation>اليوم</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/step_timeline.py" line="137" />
            <source>late by %Ln days</source>
            <translation>
                <numerusform>متأخرة بـ %Ln يوم</numerusform>
                <numerusform>متأخرة بـ يوم واحد</numerusform>
                <numerusform>متأخرة بـ يومين</numerusform>
                <numerusform>متأخرة بـ %Ln أيام</numerusform>
                <numerusform>متأخرة بـ %Ln يومًا</numerusform>
                <numerusform>متأخرة بـ %Ln يوم</numerusform>
            </translation>
        </message>
        <message>
            <source>late {n} d</source>
            <translation type="vanished">تأخير {n} يوم</translation>
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
            <translation>المصدر</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="372" />
            <source>Grace after a missed milestone (months)</source>
            <translation>المهلة الإضافية بعد معلم غير محقَّق (أشهر)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="382" />
            <source>Rules for a missed milestone</source>
            <translation>قواعد المعلم غير المحقَّق</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="370" />
            <source>Still missed at the end: the supply programme is frozen</source>
            <translation>إذا بقي غير محقَّق في النهاية: يُجمَّد برنامج التموين</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="374" />
            <source>Supply programme cut during the grace (%)</source>
            <translation>تخفيض برنامج التموين خلال المهلة (%)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="369" />
            <source>The cut ends as soon as the rate is reached</source>
            <translation>ينتهي التخفيض بمجرد بلوغ النسبة</translation>
        </message>
    </context>
    <context>
        <name>SyncDialogs</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="232" />
            <source>A package from this site holding any other kind of record is refused. A site always writes its own site record and people; no other site may write them here, whatever is checked.</source>
            <translation>تُرفض أي حزمة من هذا الموقع تحتوي على نوع آخر من السجلات. يكتب كل موقع دائمًا سجل موقعه وأشخاصه بنفسه؛ ولا يجوز لأي موقع آخر كتابتها هنا، أيًّا كان ما حُدِّد.</translation>
        </message>
    </context>
    <context>
        <name>SyncPage</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="325" />
            <source>%Ln records hold competing versions; merge them on the Conflicts page.</source>
            <translation>
                <numerusform>يحتوي %Ln سجل على نسخ متعارضة؛ ادمجها في صفحة التعارضات.</numerusform>
                <numerusform>يحتوي سجل واحد على نسخ متعارضة؛ ادمجها في صفحة التعارضات.</numerusform>
                <numerusform>يحتوي سجلان على نسخ متعارضة؛ ادمجها في صفحة التعارضات.</numerusform>
                <numerusform>يحتوي %Ln سجلات على نسخ متعارضة؛ ادمجها في صفحة التعارضات.</numerusform>
                <numerusform>يحتوي %Ln سجلًا على نسخ متعارضة؛ ادمجها في صفحة التعارضات.</numerusform>
                <numerusform>يحتوي %Ln سجل على نسخ متعارضة؛ ادمجها في صفحة التعارضات.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="294" />
            <source>Checking the package…</source>
            <translation>جارٍ التحقق من الحزمة…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="156" />
            <source>Enrol a site…</source>
            <translation>تسجيل موقع…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="152" />
            <source>Exchange with other sites</source>
            <translation>التبادل مع المواقع الأخرى</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="153" />
            <source>Export a package…</source>
            <translation>تصدير حزمة…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="164" />
            <source>File</source>
            <translation>الملف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="283" />
            <source>Import a package</source>
            <translation>استيراد حزمة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="154" />
            <source>Import a package…</source>
            <translation>استيراد حزمة…</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="322" />
            <source>Imported package no. {seq} from {code}: %Ln new revisions.</source>
            <translation>
                <numerusform>استُوردت الحزمة رقم {seq} من {code}: %Ln مراجعة جديدة.</numerusform>
                <numerusform>استُوردت الحزمة رقم {seq} من {code}: مراجعة جديدة واحدة.</numerusform>
                <numerusform>استُوردت الحزمة رقم {seq} من {code}: مراجعتان جديدتان.</numerusform>
                <numerusform>استُوردت الحزمة رقم {seq} من {code}: %Ln مراجعات جديدة.</numerusform>
                <numerusform>استُوردت الحزمة رقم {seq} من {code}: %Ln مراجعة جديدة.</numerusform>
                <numerusform>استُوردت الحزمة رقم {seq} من {code}: %Ln مراجعة جديدة.</numerusform>
            </translation>
        </message>
        <message>
            <source>Imported package no. {seq} from {code}: {new} new revisions.</source>
            <translation type="vanished">استُوردت الحزمة رقم {seq} من {code}: {new} مراجعة جديدة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="313" />
            <source>Importing the package…</source>
            <translation>جارٍ استيراد الحزمة…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="161" />
            <source>Key</source>
            <translation>المفتاح</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="161" />
            <source>Key fingerprint</source>
            <translation>بصمة المفتاح</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="160" />
            <source>Kind</source>
            <translation>النوع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="162" />
            <source>Last package received</source>
            <translation>آخر حزمة مستلمة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="161" />
            <source>Last package sent</source>
            <translation>آخر حزمة مُرسَلة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="160" />
            <source>May write here</source>
            <translation>يمكنه الكتابة هنا</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="160" />
            <source>Name</source>
            <translation>الاسم</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="123" />
            <source>No other site yet. Save this site's key, send it to the other sites, and enrol theirs with “Enrol a site…” (an administrator's work).</source>
            <translation>لا يوجد موقع آخر بعد. احفظ مفتاح هذا الموقع وأرسله إلى المواقع الأخرى، وسجّل مفاتيحها عبر «تسجيل موقع…» (من مهام المسؤول).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="126" />
            <source>No package was refused.</source>
            <translation>لم تُرفض أي حزمة.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="162" />
            <source>Not sent yet</source>
            <translation>لم تُرسَل بعد</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="275" />
            <source>Package no. {seq} written to {path}: {revisions} revisions, {blobs} files.</source>
            <translation>كُتبت الحزمة رقم {seq} في {path}: {revisions} مراجعة، {blobs} ملف.</translation>
        </message>
        <message>
            <source>PartDesk packages (*.partdesk *.zip)</source>
            <translation type="vanished">حزم PartDesk (*.partdesk *.zip)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="284" />
            <source>PartDesk packages (*.partdesk *.zip);;All files (*)</source>
            <translation>حزم PartDesk ‏(*.partdesk *.zip);;كل الملفات (*)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="164" />
            <source>Reason</source>
            <translation>السبب</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="411" />
            <source>Refuse every new package signed by {code}'s key? Packages already imported stay.</source>
            <translation>رفض كل حزمة جديدة موقَّعة بمفتاح {code}؟ تبقى الحزم المستورَدة سابقًا.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="164" />
            <source>Refused on</source>
            <translation>تاريخ الرفض</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="187" />
            <source>Refused packages ({n})</source>
            <translation>الحزم المرفوضة ({n})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="410" />
            <source>Retire the site's key</source>
            <translation>إيقاف مفتاح الموقع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="157" />
            <source>Retire the site's key…</source>
            <translation>إيقاف مفتاح الموقع…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="342" />
            <source>Save this site's key</source>
            <translation>حفظ مفتاح هذا الموقع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="155" />
            <source>Save this site's key…</source>
            <translation>حفظ مفتاح هذا الموقع…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="160" />
            <source>Site</source>
            <translation>الموقع</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="344" />
            <source>Site key files (*.partdesk-key)</source>
            <translation>ملفات مفاتيح المواقع (*.partdesk-key)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="384" />
            <source>Site {code} ({name}) is enrolled.</source>
            <translation>سُجّل الموقع {code} ({name}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="401" />
            <source>Site {code} may now write here: {types}.</source>
            <translation>أصبح بإمكان الموقع {code} الكتابة هنا: {types}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="186" />
            <source>Sites ({n})</source>
            <translation>المواقع ({n})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="149" />
            <source>Sync</source>
            <translation>المزامنة</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="423" />
            <source>The key of {code} is retired.</source>
            <translation>أُوقف مفتاح {code}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="361" />
            <source>The public key of {code} is in {path}. Read its fingerprint out to the other site: {fp}</source>
            <translation>المفتاح العام لـ {code} موجود في {path}. اقرأ بصمته على الموقع الآخر: {fp}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="320" />
            <source>This package was imported before; nothing changed.</source>
            <translation>استُوردت هذه الحزمة من قبل؛ لم يتغير شيء.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="188" />
            <source>This site: {code} — {name}. Key fingerprint: {fp}</source>
            <translation>هذا الموقع: {code} — {name}. بصمة المفتاح: {fp}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="158" />
            <source>What it may write…</source>
            <translation>ما يُسمح له بكتابته…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="273" />
            <source>Writing the package…</source>
            <translation>جارٍ كتابة الحزمة…</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="243" />
            <source>changed here (%Ln kinds)</source>
            <translation>
                <numerusform>عُدِّل هنا (%Ln نوع)</numerusform>
                <numerusform>عُدِّل هنا (نوع واحد)</numerusform>
                <numerusform>عُدِّل هنا (نوعان)</numerusform>
                <numerusform>عُدِّل هنا (%Ln أنواع)</numerusform>
                <numerusform>عُدِّل هنا (%Ln نوعًا)</numerusform>
                <numerusform>عُدِّل هنا (%Ln نوع)</numerusform>
            </translation>
        </message>
        <message>
            <source>changed here ({n} kinds)</source>
            <translation type="vanished">عُدِّل هنا ({n} أنواع)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="192" />
            <source>enrolled</source>
            <translation>مسجَّل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="197" />
            <source>no. {n}, made {made}, imported {at}</source>
            <translation>رقم {n}، أُعدّت في {made}، استُوردت في {at}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="194" />
            <source>no. {n}, {at}</source>
            <translation>رقم {n}، {at}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="193" />
            <source>not enrolled</source>
            <translation>غير مسجَّل</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="192" />
            <source>retired</source>
            <translation>موقوف</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="242" />
            <source>the defaults of its kind ({n})</source>
            <translation>الافتراضيات حسب نوعه ({n})</translation>
        </message>
        <message>
            <source>{n} records hold competing versions; merge them on the Conflicts page.</source>
            <translation type="vanished">يحتوي {n} سجل على نسخ متعارضة؛ ادمجها في صفحة التعارضات.</translation>
        </message>
    </context>
    <context>
        <name>TaskRunner</name>
        <message>
            <location filename="../../desktop_app/ui/tasks.py" line="93" />
            <source>Cancel</source>
            <translation>إلغاء</translation>
        </message>
    </context>
    <context>
        <name>cli</name>
        <message>
            <source>  (superseded)</source>
            <translation type="vanished">  (مستبدَل)</translation>
        </message>
        <message>
            <source>  OVERDUE</source>
            <translation type="vanished">  متأخرة</translation>
        </message>
        <message>
            <source>  {type}: {new} new, {known} already known, {conflicting} conflicting</source>
            <translation type="vanished">  {type}: {new} جديدة، {known} معروفة مسبقًا، {conflicting} متعارضة</translation>
        </message>
        <message>
            <source> Details: {log}</source>
            <translation type="vanished"> التفاصيل: {log}</translation>
        </message>
        <message>
            <source> for {site}</source>
            <translation type="vanished"> لـ {site}</translation>
        </message>
        <message>
            <source>Added {n} characteristics.</source>
            <translation type="vanished">أُضيفت {n} خاصية.</translation>
        </message>
        <message>
            <source>Added {user} as {role}.</source>
            <translation type="vanished">أُضيف {user} بدور {role}.</translation>
        </message>
        <message>
            <source>All checks passed: database, audit log, revisions and files.</source>
            <translation type="vanished">نجحت كل عمليات التحقق: قاعدة البيانات وسجل التدقيق والمراجعات والملفات.</translation>
        </message>
        <message>
            <source>Backup written: {path}</source>
            <translation type="vanished">كُتبت النسخة الاحتياطية: {path}</translation>
        </message>
        <message>
            <source>Dry run: nothing was changed.</source>
            <translation type="vanished">تشغيل تجريبي: لم يتغير شيء.</translation>
        </message>
        <message>
            <source>Dry run: nothing was saved.</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">تشغيل تجريبي: لم يُحفظ شيء.</translation>
        </message>
        <message>
            <source>Files: {new} new of {total}.</source>
            <translation type="vanished">الملفات: {new} جديدة من {total}.</translation>
        </message>
        <message>
            <source>Gauge {code} added (due {due}).</source>
            <translation type="vanished">أُضيفت أداة القياس {code} (موعد المعايرة {due}).</translation>
        </message>
        <message>
            <source>Grace period until {day}; supply programme at {factor} of plan.</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">فترة السماح حتى {day}؛ برنامج التموين عند {factor} من المخطط.</translation>
        </message>
        <message>
            <source>Imported: {created} new, {changed} changed, {suppliers} suppliers created.</source>
            <translation type="vanished">تم الاستيراد: {created} جديدة، {changed} معدَّلة، {suppliers} موردين أُنشئوا.</translation>
        </message>
        <message>
            <source>Imported: {new} new revisions.</source>
            <translation type="vanished">تم الاستيراد: {new} مراجعة جديدة.</translation>
        </message>
        <message>
            <source>Interrupted; nothing more was changed.</source>
            <translation type="vanished">توقّف؛ لم يتغير شيء آخر.</translation>
        </message>
        <message>
            <source>It is older than the last package received from {code} ({last}); only what is missing is applied.</source>
            <translation type="vanished">إنها أقدم من آخر حزمة مستلمة من {code} ({last})؛ لا يُطبَّق إلا ما هو ناقص.</translation>
        </message>
        <message>
            <source>Linked {part} to {set}.</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">رُبطت {part} بـ {set}.</translation>
        </message>
        <message>
            <source>Merged {record}: version {rev}.</source>
            <translation type="vanished">دُمج {record}: النسخة {rev}.</translation>
        </message>
        <message>
            <source>Next milestone: {day}, at least {target} (forecast {forecast})</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">المعلم التالي: {day}، على الأقل {target} (التوقع {forecast})</translation>
        </message>
        <message>
            <source>No characteristics.</source>
            <translation type="vanished">لا توجد خصائص.</translation>
        </message>
        <message>
            <source>No files.</source>
            <translation type="vanished">لا توجد ملفات.</translation>
        </message>
        <message>
            <source>No gauges.</source>
            <translation type="vanished">لا توجد أدوات قياس.</translation>
        </message>
        <message>
            <source>No other site is enrolled.</source>
            <translation type="vanished">لا يوجد موقع آخر مسجَّل.</translation>
        </message>
        <message>
            <source>No readings file given.</source>
            <translation type="vanished">لم يُحدَّد ملف قراءات.</translation>
        </message>
        <message>
            <source>No record holds competing versions.</source>
            <translation type="vanished">لا يحتوي أي سجل على نسخ متعارضة.</translation>
        </message>
        <message>
            <source>No reports.</source>
            <translation type="vanished">لا توجد تقارير.</translation>
        </message>
        <message>
            <source>No step.</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">لا توجد مرحلة.</translation>
        </message>
        <message>
            <source>No vehicle model yet.</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">لا يوجد طراز مركبة بعد.</translation>
        </message>
        <message>
            <source>Nothing was imported.</source>
            <translation type="vanished">لم يُستورد شيء.</translation>
        </message>
        <message>
            <source>Package {path} written: number {seq}, {revisions} revisions, {blobs} files, {size} bytes{target}.</source>
            <translation type="vanished">كُتبت الحزمة {path}: الرقم {seq}، {revisions} مراجعة، {blobs} ملف، {size} بايت{target}.</translation>
        </message>
        <message>
            <source>Package {seq} from {code} ({name}), made {at}.</source>
            <translation type="vanished">الحزمة {seq} من {code} ({name})، أُعدّت في {at}.</translation>
        </message>
        <message>
            <source>Public key of {code} written to {path}.
Fingerprint: {fp}
Read the fingerprint out to the other site's administrator by phone or give it on paper.</source>
            <translation type="vanished">كُتب المفتاح العام لـ {code} في {path}.
البصمة: {fp}
اقرأ البصمة على مسؤول الموقع الآخر بالهاتف أو سلّمها له على الورق.</translation>
        </message>
        <message>
            <source>Rate on {day}: {rate}   (list totals {total}, {short} missing)</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">النسبة في {day}: {rate}   (مجموع القائمة {total}، الناقص {short})</translation>
        </message>
        <message>
            <source>Report written: {path}</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">كُتب التقرير: {path}</translation>
        </message>
        <message>
            <source>Report {number} recorded: {verdict}.</source>
            <translation type="vanished">سُجّل التقرير {number}: {verdict}.</translation>
        </message>
        <message>
            <source>Restored {file}; the previous state is kept in {safety}.</source>
            <translation type="vanished">استُعيد {file}؛ الحالة السابقة محفوظة في {safety}.</translation>
        </message>
        <message>
            <source>Saved {path}</source>
            <translation type="vanished">تم الحفظ في {path}</translation>
        </message>
        <message>
            <source>Site {code} ({name}) is enrolled; fingerprint {fp}.</source>
            <translation type="vanished">سُجّل الموقع {code} ({name})؛ البصمة {fp}.</translation>
        </message>
        <message>
            <source>Site {code} ({name}) is set up in {folder}.
Administrator: {admin}
Key fingerprint: {fp}</source>
            <translation type="vanished">أُعدّ الموقع {code} ({name}) في {folder}.
المسؤول: {admin}
بصمة المفتاح: {fp}</translation>
        </message>
        <message>
            <source>Step {code} signed for the {party}.</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">وُقّعت المرحلة {code} عن {party}.</translation>
        </message>
        <message>
            <source>Superseded by a correction.</source>
            <translation type="vanished">استُبدل بتصحيح.</translation>
        </message>
        <message>
            <source>Supplier {code} registered.</source>
            <translation type="vanished">سُجّل المورّد {code}.</translation>
        </message>
        <message>
            <source>Suppliers to create: {names}</source>
            <translation type="vanished">موردون سيُنشَؤون: {names}</translation>
        </message>
        <message>
            <source>The key of site {code} is retired: new packages from it are refused.</source>
            <translation type="vanished">أُوقف مفتاح الموقع {code}: تُرفض الحزم الجديدة الصادرة عنه.</translation>
        </message>
        <message>
            <source>The password of {user} was reset.</source>
            <translation type="vanished">أُعيد تعيين كلمة مرور {user}.</translation>
        </message>
        <message>
            <source>This package was imported before; nothing changes.</source>
            <translation type="vanished">استُوردت هذه الحزمة من قبل؛ لا يتغير شيء.</translation>
        </message>
        <message>
            <source>Total: {rate}</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">المجموع: {rate}</translation>
        </message>
        <message>
            <source>Unexpected error ({kind}).</source>
            <translation type="vanished">خطأ غير متوقع ({kind}).</translation>
        </message>
        <message>
            <source>Vehicle model {code} registered.</source>
            <translation type="vanished">سُجّل طراز المركبة {code}.</translation>
        </message>
        <message>
            <source>Verdict: {verdict}</source>
            <translation type="vanished">الحكم: {verdict}</translation>
        </message>
        <message>
            <source>Would add {n} characteristics.</source>
            <translation type="vanished">ستُضاف {n} خاصية.</translation>
        </message>
        <message>
            <source>Wrote {file}.</source>
            <translation type="vanished">كُتب {file}.</translation>
        </message>
        <message>
            <source>enrolled</source>
            <translation type="vanished">مسجَّل</translation>
        </message>
        <message>
            <source>expires within 30 days</source>
            <translation type="vanished">تنتهي خلال 30 يومًا</translation>
        </message>
        <message>
            <source>late by {n} days</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">متأخرة بـ {n} يوم</translation>
        </message>
        <message>
            <source>not enrolled</source>
            <translation type="vanished">غير مسجَّل</translation>
        </message>
        <message>
            <source>retired</source>
            <translation type="vanished">موقوف</translation>
        </message>
        <message>
            <source>{code}  {name} ({kind}), {state}; fingerprint {fp}
      sent: no. {sent} {sent_at}; received: no. {got} {got_at}; {pending} revisions not sent yet</source>
            <translation type="vanished">{code}  {name} ({kind})، {state}؛ البصمة {fp}
      المُرسَل: رقم {sent} {sent_at}؛ المُستلَم: رقم {got} {got_at}؛ {pending} مراجعة لم تُرسَل بعد</translation>
        </message>
        <message>
            <source>{code} — {name}   approved {approval}   state: {state}</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">{code} — {name}   اعتُمد في {approval}   الحالة: {state}</translation>
        </message>
        <message>
            <source>{count} parts written to {file}</source>
            <translation type="vanished">كُتبت {count} قطعة في {file}</translation>
        </message>
        <message>
            <source>{file}: {new} new, {changed} changed, {unchanged} unchanged, {error} with errors</source>
            <translation type="vanished">{file}: {new} جديدة، {changed} معدَّلة، {unchanged} دون تغيير، {error} بها أخطاء</translation>
        </message>
        <message>
            <source>{model}: {rows} sets, {added} added, {changed} changed, {removed} removed; the list totals {total} ({short} missing).</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">{model}: {rows} مجموعة، {added} مضافة، {changed} معدَّلة، {removed} محذوفة؛ مجموع القائمة {total} (الناقص {short}).</translation>
        </message>
        <message>
            <source>{n} certificate(s)</source>
            <translation type="vanished">{n} شهادة</translation>
        </message>
        <message>
            <source>{n} records now hold competing versions; see 'partdesk conflicts list'.</source>
            <translation type="vanished">يحتوي الآن {n} سجل على نسخ متعارضة؛ راجع «partdesk conflicts list».</translation>
        </message>
        <message>
            <source>{shown} of {total} parts</source>
            <translation type="vanished">{shown} من {total} قطعة</translation>
        </message>
        <message>
            <source>{user} is disabled.</source>
            <translation type="vanished">عُطّل {user}.</translation>
        </message>
        <message>
            <source>{user} is enabled.</source>
            <translation type="vanished">فُعّل {user}.</translation>
        </message>
        <message>
            <source>{user} is now {role}.</source>
            <translation type="vanished">أصبح {user} الآن {role}.</translation>
        </message>
    </context>
</TS>
