"""Printed labels of the part approval certificate in French, English, Arabic and Chinese.

A certificate is printed in one or two languages at once (French and English by default), so
its labels are a table here rather than the interface's single active Qt translation.
"""

from __future__ import annotations

import re

LANGUAGES = ("fr", "en", "ar", "zh")
DEFAULT_LANGUAGES = ("fr", "en")

# key: (fr, en, ar, zh)
LABELS: dict[str, tuple[str, str, str, str]] = {
    "title": ("Certificat d'approbation de pièce", "Part approval certificate",
              "شهادة اعتماد القطعة", "零件批准证书"),
    "number": ("N° de certificat", "Certificate no.", "رقم الشهادة", "证书编号"),
    "issuer": ("Site émetteur", "Issuing site", "الموقع المُصدِر", "签发地点"),
    "supplier": ("Fournisseur", "Supplier", "المورّد", "供应商"),
    "customer": ("Client / modèle", "Customer / vehicle model", "الزبون / طراز المركبة",
                 "客户 / 车型"),
    "part_number": ("Référence pièce", "Part number", "رقم القطعة", "零件号"),
    "designation": ("Désignation", "Designation", "التسمية", "零件名称"),
    "drawing_revision": ("Indice de plan", "Drawing revision", "مراجعة المخطط", "图纸版本"),
    "approval_type": ("Type d'approbation", "Approval type", "نوع الاعتماد", "批准类型"),
    "reason": ("Motif de soumission", "Reason for submission", "سبب التقديم", "提交原因"),
    "disposition": ("Décision", "Disposition", "القرار", "处置"),
    "validity": ("Validité", "Validity", "الصلاحية", "有效期"),
    "action_plan": ("Plan d'actions", "Action plan", "خطة العمل", "行动计划"),
    "deviations": ("Dérogations", "Deviations", "الاستثناءات", "偏差"),
    "evidence": ("Preuves", "Evidence", "الأدلة", "证据"),
    "element": ("Élément", "Element", "العنصر", "要素"),
    "document": ("Document", "Document", "الوثيقة", "文件"),
    "sha256": ("SHA-256", "SHA-256", "SHA-256", "SHA-256"),
    "capability": ("Capabilité des caractéristiques spéciales",
                   "Capability of special characteristics", "قدرة الخصائص الخاصة",
                   "特殊特性过程能力"),
    "characteristic": ("Caractéristique", "Characteristic", "الخاصية", "特性"),
    "class": ("Classe", "Class", "الفئة", "类别"),
    "ppk": ("Ppk", "Ppk", "Ppk", "Ppk"),
    "verdict": ("Appréciation", "Assessment", "التقييم", "评定"),
    "signatures": ("Signatures électroniques", "Electronic signatures", "التوقيعات الإلكترونية",
                   "电子签名"),
    "signer": ("Signataire", "Signed by", "الموقّع", "签署人"),
    "meaning": ("Signification", "Meaning", "المعنى", "含义"),
    "signed_at": ("Date et heure (UTC)", "Date and time (UTC)", "التاريخ والوقت (UTC)",
                  "日期时间 (UTC)"),
    "issued_on": ("Date d'émission", "Issue date", "تاريخ الإصدار", "签发日期"),
    "verification": ("Vérification", "Verification", "التحقق", "验证"),
    "verification_text": (
        "Scanner le code QR ou exécuter « partdesk certificate verify » : la signature Ed25519 "
        "du site émetteur se vérifie hors ligne.",
        "Scan the QR code or run \u201cpartdesk certificate verify\u201d: the issuing site's "
        "Ed25519 signature is checked offline.",
        "امسح رمز QR أو نفّذ الأمر partdesk certificate verify للتحقق من توقيع الموقع دون اتصال.",
        "扫描二维码或运行 partdesk certificate verify：离线验证签发地点的 Ed25519 签名。"),
    "printed_by": (
        "Imprimé par le site {printer} ; le code QR porte le sceau du site émetteur {issuer}.",
        "Printed by site {printer}; the QR code carries the seal of the issuing site {issuer}.",
        "طُبعت في الموقع {printer}؛ يحمل رمز QR ختم الموقع المُصدِر {issuer}.",
        "由 {printer} 地点打印；二维码带有签发地点 {issuer} 的印章。"),
    "not_sealed": ("NON SCELLÉ", "NOT SEALED", "غير مختوم", "未加封"),
    "ask_issuer": ("vérifier auprès du site émetteur", "verify with the issuing site",
                   "تحقّق لدى الموقع المُصدِر", "请向签发地点核实"),
    "not_sealed_text": (
        "Ce certificat ne porte pas de sceau du site émetteur : il ne se vérifie pas hors ligne. "
        "Vérifier auprès du site émetteur.",
        "This certificate carries no seal of the issuing site and cannot be verified offline. "
        "Verify it with the issuing site.",
        "لا تحمل هذه الشهادة ختم الموقع المُصدِر ولا يمكن التحقق منها دون اتصال. تحقّق منها لدى "
        "الموقع المُصدِر.",
        "本证书没有签发地点的印章，无法离线验证。请向签发地点核实。"),
    "key": ("Empreinte de la clé", "Key fingerprint", "بصمة المفتاح", "密钥指纹"),
    "content_hash": ("Empreinte du contenu", "Content hash", "بصمة المحتوى", "内容哈希"),
    "none": ("aucun", "none", "لا يوجد", "无"),
    "subject": ("Pièce {part}, indice {revision}", "Part {part}, revision {revision}",
                "القطعة {part}، المراجعة {revision}", "零件 {part}，版本 {revision}"),
    "until": ("jusqu'au", "until", "حتى", "至"),
    "parts": ("pièces", "parts", "قطعة", "件"),
    "unlimited": ("sans limite", "open-ended", "غير محدودة", "无限期"),
    "approved": ("Approuvée", "Approved", "معتمدة", "批准"),
    "ppap_level": ("PPAP niveau {n}", "PPAP level {n}", "PPAP المستوى {n}", "PPAP {n} 级"),
    "ots": ("Approbation technique OTS", "OTS engineering approval", "اعتماد هندسي OTS",
            "OTS 工程批准"),
    "interim": ("Approbation provisoire", "Interim approval", "اعتماد مؤقت", "临时批准"),
    "ots_interim": ("Approuvée sous conditions", "Conditionally approved", "معتمدة بشروط",
                    "有条件批准"),
    "acceptable": ("acceptable", "acceptable", "مقبول", "可接受"),
    "customer agreement": ("accord client requis", "customer agreement", "بموافقة الزبون",
                           "需客户同意"),
    "not acceptable": ("non acceptable", "not acceptable", "غير مقبول", "不可接受"),
    "deviation": ("dérogation", "deviation", "استثناء", "偏差"),
    "status_interim": ("APPROBATION PROVISOIRE", "INTERIM APPROVAL", "اعتماد مؤقت", "临时批准"),
    "status_suspended": ("SUSPENDUE", "SUSPENDED", "معلّقة", "已暂停"),
    "status_expired": ("EXPIRÉE", "EXPIRED", "منتهية الصلاحية", "已过期"),
    "status_revoked": ("RÉVOQUÉE", "REVOKED", "ملغاة", "已撤销"),
    "status_superseded": ("REMPLACÉE", "SUPERSEDED", "مستبدلة", "已被取代"),
    "status_needs_reapproval": ("À RÉAPPROUVER", "NEEDS RE-APPROVAL",
                                "تحتاج إلى إعادة الاعتماد", "需重新批准"),
    "since": ("depuis le {date}", "since {date}", "منذ {date}", "自 {date} 起"),
    "expired_on": ("le {date}", "on {date}", "في {date}", "于 {date}"),
    "replaced_by": ("remplacée par {number}", "replaced by {number}",
                    "حلّت محلها الشهادة {number}", "由 {number} 取代"),
    "changed_after_approval": (
        "Le dossier a été modifié après l'approbation ; il attend une nouvelle décision.",
        "The submission was changed after its approval and awaits a new decision.",
        "عُدّل الملف بعد الاعتماد وهو في انتظار قرار جديد.",
        "提交资料在批准后被更改，等待新的决定。"),
    "state_reason": ("Motif", "Reason", "السبب", "原因"),
    "not_valid": ("Ce certificat n'est pas valide.", "This certificate is not valid.",
                  "هذه الشهادة غير صالحة.", "本证书无效。"),
}

REASONS: dict[str, tuple[str, str, str, str]] = {
    "initial": ("Soumission initiale", "Initial submission", "تقديم أولي", "首次提交"),
    "engineering_change": ("Modification(s) technique(s)", "Engineering change(s)",
                           "تغيير هندسي", "工程变更"),
    "tooling": ("Outillage : transfert, remplacement, remise en état ou ajout",
                "Tooling: transfer, replacement, refurbishment, or additional",
                "الأدوات: نقل أو استبدال أو تجديد أو إضافة", "工装：转移、更换、翻新或增加"),
    "correction": ("Correction d'un écart", "Correction of discrepancy", "تصحيح خلل",
                   "纠正差异"),
    "tooling_inactive": ("Outillage inactif > 1 an", "Tooling inactive > 1 year",
                         "أدوات غير مستعملة > سنة", "工装停用超过一年"),
    "optional_construction": ("Changement de construction ou de matière optionnelle",
                              "Change to optional construction or material",
                              "تغيير في البناء أو المادة الاختيارية", "可选结构或材料变更"),
    "sub_supplier": ("Changement de sous-fournisseur ou de source matière",
                     "Sub-supplier or material source change",
                     "تغيير المورّد الفرعي أو مصدر المادة", "分供方或材料来源变更"),
    "processing_change": ("Changement du procédé de fabrication", "Change in part processing",
                          "تغيير في تصنيع القطعة", "零件加工变更"),
    "additional_location": ("Pièces produites sur un site supplémentaire",
                            "Parts produced at additional location",
                            "قطع منتجة في موقع إضافي", "在新增地点生产的零件"),
    "other": ("Autre", "Other", "أخرى", "其他"),
}


def label(key: str, languages: tuple[str, ...], table: dict | None = None) -> str:
    """The label in each requested language, joined with " / " (duplicates once)."""
    values = (table or LABELS).get(key)
    if values is None:
        return key
    texts = [values[LANGUAGES.index(lang)] for lang in languages]
    return " / ".join(dict.fromkeys(texts))


def check_languages(languages: tuple[str, ...]) -> tuple[str, ...]:
    chosen = tuple(lang for lang in languages if lang in LANGUAGES)
    return chosen or DEFAULT_LANGUAGES


# What a signer signed, stored in English (domain.certification.signature_meaning), printed in
# each language of the certificate. "{what}" is the approval: "PPAP level 3" or "OTS engineering
# approval". A meaning not in this table prints as stored.
MEANINGS: dict[str, tuple[str, str, str, str]] = {
    "approved as {what}": ("approuvée\u00a0: {what}", "approved as {what}", "معتمدة: {what}",
                           "批准：{what}"),
    "interim approval as {what}": ("approbation provisoire\u00a0: {what}",
                                   "interim approval as {what}", "اعتماد مؤقت: {what}",
                                   "临时批准：{what}"),
    "conditionally approved as {what}": ("approuvée sous conditions\u00a0: {what}",
                                         "conditionally approved as {what}",
                                         "معتمدة بشروط: {what}", "有条件批准：{what}"),
    "rejected as {what}": ("refusée\u00a0: {what}", "rejected as {what}", "مرفوضة: {what}",
                           "拒绝：{what}"),
    "approval as {what} suspended": ("approbation suspendue\u00a0: {what}",
                                     "approval as {what} suspended", "تعليق الاعتماد: {what}",
                                     "暂停批准：{what}"),
    "approval as {what} reinstated": ("approbation rétablie\u00a0: {what}",
                                      "approval as {what} reinstated", "إعادة الاعتماد: {what}",
                                      "恢复批准：{what}"),
    "approval as {what} revoked": ("approbation révoquée\u00a0: {what}",
                                   "approval as {what} revoked", "إلغاء الاعتماد: {what}",
                                   "撤销批准：{what}"),
}
_MEANING_PATTERNS = [(re.compile("^" + re.escape(key).replace(r"\{what\}", "(?P<what>.+)") + "$"),
                      key) for key in MEANINGS]
_PPAP_LEVEL = re.compile(r"^PPAP level (\d)$")


def meaning(text: str, languages: tuple[str, ...]) -> str:
    """The stored (English) meaning of a signature in each requested language."""
    for pattern, key in _MEANING_PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        what = match.group("what")
        level = _PPAP_LEVEL.match(what)
        if level is None and what != "OTS engineering approval":
            break
        texts = []
        for lang in languages:
            i = LANGUAGES.index(lang)
            approval = (LABELS["ppap_level"][i].format(n=level.group(1)) if level
                        else LABELS["ots"][i])
            if lang == "fr" and not level:  # within a sentence: "approbation technique OTS"
                approval = approval[0].lower() + approval[1:]
            texts.append(MEANINGS[key][i].format(what=approval))
        return " / ".join(dict.fromkeys(texts))
    return text
