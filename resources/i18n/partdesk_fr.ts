<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR" sourcelanguage="en">
    <context>
        <name>AttachmentPreviewWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/attachment_preview_widget.py" line="53" />
            <source>Choose a file to preview it.</source>
            <translation>Choisissez un fichier pour en afficher l'aperçu.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/attachment_preview_widget.py" line="56" />
            <source>No preview for this type of file; open it with the system's viewer.</source>
            <translation>Pas d'aperçu pour ce type de fichier ; ouvrez-le avec la visionneuse du système.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/attachment_preview_widget.py" line="98" />
            <source>This PDF cannot be shown; open it with the system's viewer.</source>
            <translation>Ce PDF ne peut pas être affiché ; ouvrez-le avec la visionneuse du système.</translation>
        </message>
    </context>
    <context>
        <name>Certification</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="154" />
            <source>%Ln certificates</source>
            <translation>
                <numerusform>%Ln certificat</numerusform>
                <numerusform>%Ln certificats</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="82" />
            <source>Approve</source>
            <translation>Approuver</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="45" />
            <source>Approved</source>
            <translation>Approuvée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="177" />
            <source>At this level</source>
            <translation>À ce niveau</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="250" />
            <source>CONFLICT: merge first</source>
            <translation>CONFLIT : fusionner d'abord</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="65" />
            <source>Certificate</source>
            <translation>Certificat</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="137" />
            <source>Certificate PDF</source>
            <translation>Certificat PDF</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="161" />
            <source>Certificate register</source>
            <translation>Registre des certificats</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="239" />
            <source>Certificate {number} is NOT genuine: it does not match this register's record of it; check with site {site}.</source>
            <translation>Le certificat {number} n'est PAS authentique : il ne correspond pas à l'enregistrement qu'en détient ce registre ; vérifiez auprès du site {site}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="236" />
            <source>Certificate {number} is NOT genuine: it is dated {issued} but signed with a key of site {site} retired on {retired}.</source>
            <translation>Le certificat {number} n'est PAS authentique : il est daté du {issued} mais signé avec une clé du site {site} retirée le {retired}.</translation>
        </message>
        <message>
            <source>Certificate {number} is NOT genuine: its signature does not match; the document or the code was altered.</source>
            <translation type="vanished">Le certificat {number} n'est PAS authentique : sa signature ne correspond pas ; le document ou le code a été modifié.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="233" />
            <source>Certificate {number} is NOT genuine: its signature is not that of site {site}; the code or the document was altered or forged.</source>
            <translation>Le certificat {number} n'est PAS authentique : sa signature n'est pas celle du site {site} ; le code ou le document a été modifié ou falsifié.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="242" />
            <source>Certificate {number} is NOT genuine: the file was changed after site {site} sealed it.</source>
            <translation>Le certificat {number} n'est PAS authentique : le fichier a été modifié après que le site {site} l'a scellé.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="225" />
            <source>Certificate {number} is genuine but REVOKED in this register since {since}: {why} It is no longer valid.</source>
            <translation>Le certificat {number} est authentique mais RÉVOQUÉ dans ce registre depuis le {since} : {why} Il n’est plus valable.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="211" />
            <source>Certificate {number} is genuine but REVOKED in this register: it is no longer valid.</source>
            <translation>Le certificat {number} est authentique mais RÉVOQUÉ dans ce registre : il n'est plus valable.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="216" />
            <source>Certificate {number} is genuine but SUPERSEDED since {since}: certificate {replacement} replaced it; it is no longer valid.</source>
            <translation>Le certificat {number} est authentique mais REMPLACÉ depuis le {since} : le certificat {replacement} l’a remplacé ; il n’est plus valable.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="222" />
            <source>Certificate {number} is genuine but SUSPENDED in this register since {since}: {why} It is not valid unless reinstated.</source>
            <translation>Le certificat {number} est authentique mais SUSPENDU dans ce registre depuis le {since} : {why} Il n’est pas valable sauf rétablissement.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="208" />
            <source>Certificate {number} is genuine but SUSPENDED in this register: it is not valid unless reinstated.</source>
            <translation>Le certificat {number} est authentique mais SUSPENDU dans ce registre : il n'est pas valable tant qu'il n'est pas rétabli.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="199" />
            <source>Certificate {number} is genuine but no longer current: a later decision replaced it.</source>
            <translation>Le certificat {number} est authentique mais n'est plus en vigueur : une décision ultérieure l'a remplacé.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="202" />
            <source>Certificate {number} is genuine but no longer current: the submission was changed after its approval and awaits re-approval.</source>
            <translation>Le certificat {number} est authentique mais n'est plus en vigueur : la soumission a été modifiée après son approbation et doit être réapprouvée.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="219" />
            <source>Certificate {number} is genuine but no longer current: the submission was changed on {since}, after its approval, and awaits re-approval.</source>
            <translation>Le certificat {number} est authentique mais n’est plus à jour : la soumission a été modifiée le {since}, après son approbation, et attend une nouvelle approbation.</translation>
        </message>
        <message>
            <source>Certificate {number} is genuine but no longer valid: it is {status} in the register.</source>
            <translation type="vanished">Le certificat {number} est authentique mais n'est plus valable : il est « {status} » dans le registre.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="205" />
            <source>Certificate {number} is genuine, but its state here is undecided: its submission was edited at two sites and must be merged.</source>
            <translation>Le certificat {number} est authentique, mais son état ici est indéterminé : sa soumission a été modifiée sur deux sites et doit être fusionnée.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="189" />
            <source>Certificate {number} is genuine: signed by site {site}, and an interim approval in this register ({limit}).</source>
            <translation>Le certificat {number} est authentique : signé par le site {site}, et approuvé à titre provisoire dans ce registre ({limit}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="186" />
            <source>Certificate {number} is genuine: signed by site {site}, and valid in this register.</source>
            <translation>Le certificat {number} est authentique : signé par le site {site}, et valable dans ce registre.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="196" />
            <source>Certificate {number} is genuine: signed by site {site}, but its interim approval expired on {until}.</source>
            <translation>Le certificat {number} est authentique : signé par le site {site}, mais son approbation provisoire a expiré le {until}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="229" />
            <source>Certificate {number} is genuine: signed by site {site}, but its interim approval expired on {until}. It is not in this register.</source>
            <translation>Le certificat {number} est authentique : signé par le site {site}, mais son approbation provisoire a expiré le {until}. Il ne figure pas dans ce registre.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="247" />
            <source>Certificate {number} is genuine: signed by site {site}. It is not in this register, so its current state is not known here.</source>
            <translation>Le certificat {number} est authentique : signé par le site {site}. Il ne figure pas dans ce registre ; son état actuel n'est donc pas connu ici.</translation>
        </message>
        <message>
            <source>Certificate {number} is genuine: the signature of site {site} is valid.</source>
            <translation type="vanished">Le certificat {number} est authentique : la signature du site {site} est valide.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="250" />
            <source>Certificate {number} names site {site}, whose key is not enrolled here; enrol that site's key, its fingerprint confirmed, to check it.</source>
            <translation>Le certificat {number} indique le site {site}, dont la clé n'est pas enregistrée ici ; pour le vérifier, enregistrez la clé de ce site après en avoir confirmé l'empreinte.</translation>
        </message>
        <message>
            <source>Certificate {number} was signed by a site this installation does not know ({site}); enrol that site's key to check it.</source>
            <translation type="vanished">Le certificat {number} a été signé par un site inconnu de cette installation ({site}) ; enregistrez la clé de ce site pour le vérifier.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="60" />
            <source>Certification</source>
            <translation>Certification</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="76" />
            <source>Changed</source>
            <translation>Modifiée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="121" />
            <source>Check</source>
            <translation>Vérifier</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="188" />
            <source>Check completeness</source>
            <translation>Vérifier la complétude</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="147" />
            <source>Checking…</source>
            <translation>Vérification…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="122" />
            <source>Choose a PDF…</source>
            <translation>Choisir un PDF…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="163" />
            <source>Choose a certificate first.</source>
            <translation>Choisissez d'abord un certificat.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/new_submission_dialog.py" line="113" />
            <source>Choose a part revision.</source>
            <translation>Choisissez un indice de pièce.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="237" />
            <source>Choose a submission</source>
            <translation>Choisissez une soumission</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="295" />
            <source>Choose an element first.</source>
            <translation>Choisissez d'abord un élément.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="142" />
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="405" />
            <source>Complete: every required element is covered and consistent.</source>
            <translation>Complet : chaque élément requis est couvert et cohérent.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="53" />
            <source>Conditionally approved</source>
            <translation>Approuvée sous conditions</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="232" />
            <source>Conflicting edits</source>
            <translation>Modifications en conflit</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="90" />
            <source>Corrective action plan</source>
            <translation>Plan d'actions correctives</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="190" />
            <source>Customer: submit / retain</source>
            <translation>Client : soumettre / conserver</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="194" />
            <source>Decisions and signatures</source>
            <translation>Décisions et signatures</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="162" />
            <source>Deviations</source>
            <translation>Dérogations</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="42" />
            <source>Draft</source>
            <translation>Brouillon</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="116" />
            <source>Electronic signature — {action}</source>
            <translation>Signature électronique — {action}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="176" />
            <source>Element</source>
            <translation>Élément</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="166" />
            <source>Every state</source>
            <translation>Tous les états</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="177" />
            <source>Evidence</source>
            <translation>Preuves</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_pick_dialog.py" line="54" />
            <source>Evidence recorded for this part revision (reports, then attached files):</source>
            <translation>Preuves enregistrées pour cet indice de pièce (rapports, puis fichiers joints) :</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="227" />
            <source>Expired</source>
            <translation>Expirée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="137" />
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="411" />
            <source>For the customer to agree: {finding}</source>
            <translation>À convenir avec le client : {finding}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="261" />
            <source>Generated from this submission</source>
            <translation>Générée à partir de cette soumission</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="226" />
            <source>Interim</source>
            <translation>Provisoire</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="46" />
            <location filename="../../desktop_app/domain/certification.py" line="83" />
            <source>Interim approval</source>
            <translation>Approbation provisoire</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="52" />
            <source>Interim: until {until}, quantity {qty}</source>
            <translation>Provisoire : jusqu'au {until}, quantité {qty}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="73" />
            <source>Issued</source>
            <translation>Émis le</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/new_submission_dialog.py" line="83" />
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="71" />
            <source>Kind</source>
            <translation>Type</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="164" />
            <source>Laboratories</source>
            <translation>Laboratoires</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="134" />
            <source>Languages of the certificate</source>
            <translation>Langues du certificat</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="191" />
            <source>Level 4: the customer says per element whether it is submitted.</source>
            <translation>Niveau 4 : le client indique pour chaque élément s'il est soumis.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="180" />
            <source>Level {n}</source>
            <translation>Niveau {n}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_pick_dialog.py" line="53" />
            <source>Link evidence</source>
            <translation>Lier des preuves</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="185" />
            <source>Link evidence…</source>
            <translation>Lier des preuves…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="231" />
            <source>Needs re-approval</source>
            <translation>À réapprouver</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/new_submission_dialog.py" line="81" />
            <source>New submission</source>
            <translation>Nouvelle soumission</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="169" />
            <source>New submission…</source>
            <translation>Nouvelle soumission…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="90" />
            <source>No certificate among those asked for.</source>
            <translation>Aucun certificat parmi ceux demandés.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="91" />
            <source>No certificate issued yet: a certificate is issued when a submission is approved.</source>
            <translation>Aucun certificat émis pour l’instant : un certificat est émis quand une soumission est approuvée.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_pick_dialog.py" line="69" />
            <source>No evidence is recorded for this part revision yet.</source>
            <translation>Aucune preuve n'est encore enregistrée pour cet indice de pièce.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="106" />
            <source>No submission matches this search or state.</source>
            <translation>Aucune soumission ne correspond à cette recherche ou à cet état.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="108" />
            <source>No submission yet. A submission is prepared for a part revision with “New submission…”.</source>
            <translation>Aucune soumission pour l’instant. Une soumission se prépare pour une révision de pièce avec « Nouvelle soumission… ».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="176" />
            <source>No.</source>
            <translation>N°</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="342" />
            <source>Not applicable</source>
            <translation>Non applicable</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="178" />
            <source>Not applicable because</source>
            <translation>Non applicable car</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="187" />
            <source>Not applicable…</source>
            <translation>Non applicable…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="25" />
            <source>OTS engineering approval</source>
            <translation>Approbation technique OTS</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="380" />
            <source>Only elements marked * at this level take the customer's choice.</source>
            <translation>Seuls les éléments marqués * à ce niveau prennent le choix du client.</translation>
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
            <translation>Fichiers PDF (*.pdf)</translation>
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
            <translation>Niveau PPAP</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="69" />
            <source>Part</source>
            <translation>Pièce</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="66" />
            <source>Part number</source>
            <translation>Référence pièce</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/new_submission_dialog.py" line="82" />
            <source>Part revision</source>
            <translation>Indice de pièce</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="46" />
            <source>Part {part}, drawing revision {rev}; {type}; issued {issued}</source>
            <translation>Pièce {part}, indice de plan {rev} ; {type} ; émis le {issued}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="91" />
            <source>Password</source>
            <translation>Mot de passe</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/certificate_printing.py" line="56" />
            <source>Print {title}</source>
            <translation>Imprimer {title}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="131" />
            <source>Print…</source>
            <translation>Imprimer…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="88" />
            <source>Quantity limit (0: none)</source>
            <translation>Quantité limite (0 : aucune)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/new_submission_dialog.py" line="84" />
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="84" />
            <source>Reason</source>
            <translation>Motif</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/new_submission_dialog.py" line="84" />
            <source>Reason (details)</source>
            <translation>Motif (précisions)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="184" />
            <source>Reason for submission</source>
            <translation>Motif de soumission</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="87" />
            <source>Reinstate</source>
            <translation>Rétablir</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="84" />
            <source>Reject</source>
            <translation>Refuser</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="47" />
            <source>Rejected</source>
            <translation>Refusée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="186" />
            <source>Remove links</source>
            <translation>Retirer les liens</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="85" />
            <source>Reopen for resubmission</source>
            <translation>Rouvrir pour resoumission</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="163" />
            <source>Retention</source>
            <translation>Conservation</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="88" />
            <source>Revoke</source>
            <translation>Révoquer</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="229" />
            <location filename="../../desktop_app/domain/certification.py" line="49" />
            <source>Revoked</source>
            <translation>Révoquée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="132" />
            <source>Save PDF…</source>
            <translation>Enregistrer le PDF…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/certificate_printing.py" line="64" />
            <source>Save certificate</source>
            <translation>Enregistrer le certificat</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="181" />
            <source>Saved {file}.</source>
            <translation>{file} enregistré.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="117" />
            <source>Scan the QR code of a printed certificate with a handheld scanner, paste its text, or choose the PDF file. Nothing leaves this computer.</source>
            <translation>Scannez le code QR d'un certificat imprimé avec une douchette, collez son texte, ou choisissez le fichier PDF. Rien ne quitte cet ordinateur.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/new_submission_dialog.py" line="82" />
            <source>Search parts</source>
            <translation>Rechercher des pièces</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="165" />
            <source>Search submission numbers</source>
            <translation>Rechercher un numéro de soumission</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="127" />
            <source>Sign</source>
            <translation>Signer</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="441" />
            <source>Signed and recorded.</source>
            <translation>Signé et enregistré.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="123" />
            <source>Signed by {name}</source>
            <translation>Signé par {name}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="55" />
            <source>Signed with key {fingerprint}</source>
            <translation>Signé avec la clé {fingerprint}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="148" />
            <source>Signing…</source>
            <translation>Signature…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="81" />
            <source>Start review</source>
            <translation>Commencer la revue</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="74" />
            <source>State</source>
            <translation>État</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="69" />
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="67" />
            <source>Submission</source>
            <translation>Soumission</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/certification_page.py" line="160" />
            <source>Submissions</source>
            <translation>Soumissions</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="80" />
            <source>Submit</source>
            <translation>Soumettre</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="43" />
            <source>Submitted</source>
            <translation>Soumise</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="230" />
            <source>Superseded</source>
            <translation>Remplacée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="86" />
            <source>Suspend</source>
            <translation>Suspendre</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="228" />
            <location filename="../../desktop_app/domain/certification.py" line="48" />
            <source>Suspended</source>
            <translation>Suspendue</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="258" />
            <source>The file carries no seal of the issuing site: its QR code was checked, not the rest of the printed page.</source>
            <translation>Le fichier ne porte aucun sceau du site émetteur : son code QR a été vérifié, mais pas le reste de la page imprimée.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="256" />
            <source>This certificate file carries no seal; verify it with the issuing site.</source>
            <translation>Ce fichier de certificat ne porte aucun sceau ; vérifiez-le auprès du site émetteur.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="254" />
            <source>This is not a PartDesk certificate code or file.</source>
            <translation>Ce n'est pas un code ni un fichier de certificat PartDesk.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="67" />
            <source>Type</source>
            <translation>Type</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="44" />
            <source>Under review</source>
            <translation>En revue</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="225" />
            <source>Valid</source>
            <translation>Valable</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="86" />
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="75" />
            <source>Valid until</source>
            <translation>Valable jusqu'au</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/verify_certificate_dialog.py" line="116" />
            <source>Verify a certificate</source>
            <translation>Vérifier un certificat</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="133" />
            <source>Verify a certificate…</source>
            <translation>Vérifier un certificat…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="189" />
            <source>Warrant (PSW)…</source>
            <translation>Certificat de soumission (PSW)…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="193" />
            <source>What is missing</source>
            <translation>Ce qui manque</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="343" />
            <source>Why is this element not applicable? (empty: applicable)</source>
            <translation>Pourquoi cet élément n'est-il pas applicable ? (vide : applicable)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/signature_dialog.py" line="118" />
            <source>Your signature is recorded with your name, this meaning, the time and the exact revision of the submission. Type your password to sign.</source>
            <translation>Votre signature est enregistrée avec votre nom, cette signification, l'heure et la révision exacte de la soumission. Saisissez votre mot de passe pour signer.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="146" />
            <source>approved</source>
            <translation>approuvée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="283" />
            <source>covers a previous revision: the certificate needs re-approval</source>
            <translation>couvre une révision antérieure : le certificat est à réapprouver</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="71" />
            <source>expires within 30 days</source>
            <translation>expire dans les 30 jours</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="147" />
            <source>given an interim approval</source>
            <translation>approuvée à titre provisoire</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="279" />
            <source>its site's signature does not verify here</source>
            <translation>la signature de son site ne se vérifie pas ici</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="151" />
            <source>reinstated</source>
            <translation>rétablie</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="148" />
            <source>rejected</source>
            <translation>refusée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="149" />
            <source>reopened</source>
            <translation>rouverte</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="152" />
            <source>revoked</source>
            <translation>révoquée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="144" />
            <source>submitted</source>
            <translation>soumise</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="150" />
            <source>suspended</source>
            <translation>suspendue</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="145" />
            <source>taken into review</source>
            <translation>mise en revue</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="261" />
            <source>until {date}</source>
            <translation>jusqu'au {date}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="258" />
            <source>{choice} (customer)</source>
            <translation>{choice} (client)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/submission_editor_widget.py" line="247" />
            <source>{kind} · {state} · round {round}</source>
            <translation>{kind} · {state} · tour {round}</translation>
        </message>
        <message>
            <source>{n} certificate(s)</source>
            <translation type="vanished">{n} certificat(s)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certificate_trust.py" line="262" />
            <source>{quantity} parts</source>
            <translation>{quantity} pièces</translation>
        </message>
    </context>
    <context>
        <name>CharacteristicDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="82" />
            <source>Add a characteristic</source>
            <translation>Ajouter une caractéristique</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="83" />
            <source>Change characteristic {number}</source>
            <translation>Modifier la caractéristique {number}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="114" />
            <source>Class</source>
            <translation>Classe</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="100" />
            <source>Description</source>
            <translation>Description</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="105" />
            <source>Gauge (register id)</source>
            <translation>Instrument (identifiant au registre)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="101" />
            <source>Lower tolerance (e.g. -0.1)</source>
            <translation>Tolérance inférieure (p. ex. -0.1)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="104" />
            <source>Measuring method</source>
            <translation>Méthode de mesure</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="101" />
            <source>Nominal</source>
            <translation>Nominal</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="100" />
            <source>Number (balloon)</source>
            <translation>Numéro (bulle)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="112" />
            <source>Type</source>
            <translation>Type</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="104" />
            <source>Unit</source>
            <translation>Unité</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="102" />
            <source>Upper tolerance (e.g. +0.1)</source>
            <translation>Tolérance supérieure (p. ex. +0.1)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="103" />
            <source>or lower limit</source>
            <translation>ou limite inférieure</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/characteristic_dialog.py" line="103" />
            <source>or upper limit</source>
            <translation>ou limite supérieure</translation>
        </message>
    </context>
    <context>
        <name>Cli</name>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="171" />
            <source>  %GRR of the tolerance {value}</source>
            <translation>  %GRR de la tolérance {value}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="281" />
            <source>  (superseded)</source>
            <translation>  (remplacé)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/laboratories.py" line="62" />
            <source>  EXPIRED</source>
            <translation>  EXPIRÉ</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="131" />
            <source>  OVERDUE</source>
            <translation>  ÉCHU</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/retention.py" line="61" />
            <source>  PAST RETENTION: %Ln records</source>
            <translation>
                <numerusform>  CONSERVATION DÉPASSÉE : %Ln enregistrement</numerusform>
                <numerusform>  CONSERVATION DÉPASSÉE : %Ln enregistrements</numerusform>
            </translation>
        </message>
        <message>
            <source>  PAST RETENTION: {n} record(s)</source>
            <translation type="vanished">  CONSERVATION DÉPASSÉE : {n} enregistrement(s)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/laboratories.py" line="63" />
            <source>  expires within 60 days</source>
            <translation>  expire dans les 60 jours</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="104" />
            <source>  {type}: {new} new, {known} already known, {conflicting} conflicting</source>
            <translation>  {type} : {new} nouvelles, {known} déjà connues, {conflicting} en conflit</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="214" />
            <source> (a retired site: its key no longer imports)</source>
            <translation> (site retiré : sa clé n’importe plus)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="132" />
            <source> (this PC)</source>
            <translation> (ce PC)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="280" />
            <source> Details: {log}</source>
            <translation> Détails : {log}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="88" />
            <source> for {site}</source>
            <translation> pour {site}</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/certification.py" line="76" />
            <source>%Ln certificates</source>
            <translation>
                <numerusform>%Ln certificat</numerusform>
                <numerusform>%Ln certificats</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/deviations.py" line="77" />
            <source>%Ln deviations</source>
            <translation>
                <numerusform>%Ln dérogation</numerusform>
                <numerusform>%Ln dérogations</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/laboratories.py" line="66" />
            <source>%Ln laboratories</source>
            <translation>
                <numerusform>%Ln laboratoire</numerusform>
                <numerusform>%Ln laboratoires</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/retention.py" line="63" />
            <source>%Ln part revisions out of production</source>
            <translation>
                <numerusform>%Ln révision de pièce hors production</numerusform>
                <numerusform>%Ln révisions de pièce hors production</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/parts.py" line="218" />
            <source>%Ln parts written to {file}</source>
            <translation>
                <numerusform>%Ln pièce écrite dans {file}</numerusform>
                <numerusform>%Ln pièces écrites dans {file}</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/sync.py" line="124" />
            <source>%Ln records now hold competing versions; see 'partdesk conflicts list'.</source>
            <translation>
                <numerusform>%Ln enregistrement a maintenant des versions concurrentes ; voir « partdesk conflicts list ».</numerusform>
                <numerusform>%Ln enregistrements ont maintenant des versions concurrentes ; voir « partdesk conflicts list ».</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/retention.py" line="52" />
            <source>%Ln records past retention; none is deleted.</source>
            <translation>
                <numerusform>%Ln enregistrement au-delà de la conservation ; aucun n’est supprimé.</numerusform>
                <numerusform>%Ln enregistrements au-delà de la conservation ; aucun n’est supprimé.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="176" />
            <source>A site always writes its own site record and people; no other site may write them here.</source>
            <translation>Un site écrit toujours lui-même son enregistrement de site et ses personnes ; aucun autre site ne peut les écrire ici.</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/evidence.py" line="170" />
            <source>Added %Ln characteristics.</source>
            <translation>
                <numerusform>%Ln caractéristique ajoutée.</numerusform>
                <numerusform>%Ln caractéristiques ajoutées.</numerusform>
            </translation>
        </message>
        <message>
            <source>Added {n} characteristics.</source>
            <translation type="vanished">{n} caractéristiques ajoutées.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/people.py" line="69" />
            <source>Added {user} as {role}.</source>
            <translation>{user} ajouté avec le rôle {role}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/core.py" line="103" />
            <source>All checks passed: database, audit log, revisions and files.</source>
            <translation>Toutes les vérifications sont réussies : base de données, journal d'audit, révisions et fichiers.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="175" />
            <source>Appraiser  within  vs reference  kappa  miss  false alarm</source>
            <translation>Évaluateur  intra  vs référence  kappa  non-détection  fausse alarme</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/core.py" line="112" />
            <source>Backup written: {path}</source>
            <translation>Sauvegarde écrite : {path}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="251" />
            <source>Belongs to site {code}: only {code} can merge it.</source>
            <translation>Appartient au site {code} : seul {code} peut le fusionner.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="180" />
            <source>Between appraisers {between} %, all vs reference {all} %</source>
            <translation>Entre évaluateurs {between} %, tous vs référence {all} %</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="174" />
            <source>Beyond its kind's defaults: {extra}; withheld: {missing}.</source>
            <translation>En plus des valeurs par défaut de son type : {extra} ; non accordés : {missing}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="167" />
            <source>Certificate {number} issued.</source>
            <translation>Certificat {number} délivré.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="250" />
            <source>Created here: you decide what to keep.</source>
            <translation>Créé ici : c'est vous qui décidez quoi conserver.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/deviations.py" line="95" />
            <source>Deviation {number} requested; it waives nothing until the customer approves it.</source>
            <translation>Dérogation {number} demandée ; elle ne lève rien tant que le client ne l’a pas approuvée.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/diagnostics.py" line="38" />
            <source>Diagnostics written to {path}.</source>
            <translation>Diagnostic écrit dans {path}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="116" />
            <source>Dry run: nothing was changed.</source>
            <translation>Simulation : rien n'a été modifié.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="107" />
            <source>Files: {new} new of {total}.</source>
            <translation>Fichiers : {new} nouveaux sur {total}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="140" />
            <source>Gauge {code} added (due {due}).</source>
            <translation>Instrument {code} ajouté (échéance d'étalonnage {due}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="102" />
            <source>Header row {row}</source>
            <translation>Ligne d’en-tête {row}</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/sync.py" line="122" />
            <source>Imported: %Ln new revisions.</source>
            <translation>
                <numerusform>Importé : %Ln nouvelle révision.</numerusform>
                <numerusform>Importé : %Ln nouvelles révisions.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="177" />
            <source>Imported: {created} new, {changed} changed, {suppliers} suppliers created.</source>
            <translation>Importé : {created} nouveaux, {changed} modifiés, {suppliers} fournisseurs créés.</translation>
        </message>
        <message>
            <source>Imported: {new} new revisions.</source>
            <translation type="vanished">Importé : {new} nouvelles révisions.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="270" />
            <source>Interrupted; nothing more was changed.</source>
            <translation>Interrompu ; rien de plus n'a été modifié.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="100" />
            <source>It is older than the last package received from {code} ({last}); only what is missing is applied.</source>
            <translation>Il est plus ancien que le dernier paquet reçu de {code} ({last}) ; seul ce qui manque est appliqué.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="96" />
            <source>Join code for one more PC of plant {site}: {code}
It works once, until {expires} (UTC). On the new PC: partdesk plant join --database-url URL --code {code}</source>
            <translation>Code d'adhésion pour un PC de plus de l'usine {site} : {code}
Il sert une seule fois, jusqu'au {expires} (UTC). Sur le nouveau PC : partdesk plant join --database-url URL --code {code}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="116" />
            <source>Key {fingerprint}</source>
            <translation>Clé {fingerprint}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="104" />
            <source>Latest study ({date}):</source>
            <translation>Dernière étude ({date}) :</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="82" />
            <source>MSA study of {gauge} recorded: {figures}</source>
            <translation>Étude MSA de {gauge} enregistrée : {figures}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="275" />
            <source>Merged {record}: version {rev}.</source>
            <translation>{record} fusionné : version {rev}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="247" />
            <source>New password: </source>
            <translation>Nouveau mot de passe : </translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="102" />
            <source>No MSA study of this gauge.</source>
            <translation>Aucune étude MSA de cet instrument.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="151" />
            <source>No characteristics.</source>
            <translation>Aucune caractéristique.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="291" />
            <source>No files.</source>
            <translation>Aucun fichier.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="132" />
            <source>No gauges.</source>
            <translation>Aucun instrument de mesure.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/laboratories.py" line="90" />
            <source>No inspection documents.</source>
            <translation>Aucun document de contrôle.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="207" />
            <source>No other site is enrolled.</source>
            <translation>Aucun autre site n'est enregistré.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="188" />
            <source>No readings file given.</source>
            <translation>Aucun fichier de mesures indiqué.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="238" />
            <source>No record holds competing versions.</source>
            <translation>Aucun enregistrement n'a de versions concurrentes.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="282" />
            <source>No reports.</source>
            <translation>Aucun rapport.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="162" />
            <location filename="../../desktop_app/cli/parts.py" line="173" />
            <source>Nothing was imported.</source>
            <translation>Rien n'a été importé.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/retention.py" line="94" />
            <source>Others: 1 year after the end of production.</source>
            <translation>Autres : 1 an après la fin de production.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="141" />
            <source>PC {pc} ({name}) is removed from the plant: it signs nothing any more.</source>
            <translation>Le PC {pc} ({name}) est retiré de l'usine : il ne signe plus rien.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="84" />
            <source>Package {path} written: number {seq}, {revisions} revisions, {blobs} files, {size} bytes{target}.</source>
            <translation>Paquet {path} écrit : n° {seq}, {revisions} révisions, {blobs} fichiers, {size} octets{target}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="94" />
            <source>Package {seq} from {code} ({name}), made {at}.</source>
            <translation>Paquet n° {seq} de {code} ({name}), créé le {at}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="233" />
            <source>Password for {user}: </source>
            <translation>Mot de passe de {user} : </translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="81" />
            <source>Plant {code} ({name}) is set up in the database {where}; this PC's folder {folder} points at it.
Administrator: {admin}
Key fingerprint: {fp}
For each further PC: 'partdesk --user {admin} plant invite' here, then 'partdesk plant join --database-url URL --code CODE' there.</source>
            <translation>L'usine {code} ({name}) est créée dans la base {where} ; le dossier {folder} de ce PC pointe vers elle.
Administrateur : {admin}
Empreinte de la clé : {fp}
Pour chaque autre PC : 'partdesk --user {admin} plant invite' ici, puis 'partdesk plant join --database-url URL --code CODE' là-bas.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="125" />
            <source>Plant {code} ({name}), database {where}, key fingerprint {fp}</source>
            <translation>Usine {code} ({name}), base {where}, empreinte de la clé {fp}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="137" />
            <source>Public key of {code} written to {path}.
Fingerprint: {fp}
Read the fingerprint out to the other site's administrator by phone or give it on paper.</source>
            <translation>Clé publique de {code} écrite dans {path}.
Empreinte : {fp}
Lisez l'empreinte à l'administrateur de l'autre site par téléphone ou remettez-la sur papier.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="248" />
            <source>Repeat the new password: </source>
            <translation>Répétez le nouveau mot de passe : </translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="226" />
            <source>Report {number} recorded: {verdict}.</source>
            <translation>Rapport {number} enregistré : {verdict}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/core.py" line="157" />
            <source>Restored {file}.</source>
            <translation>{file} restauré.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/core.py" line="128" />
            <location filename="../../desktop_app/cli/core.py" line="153" />
            <source>Restored {file}; the previous state is kept in {safety}.</source>
            <translation>{file} restauré ; l'état précédent est conservé dans {safety}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="298" />
            <source>Saved {path}</source>
            <translation>{path} enregistré</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="99" />
            <source>Sheet {sheet} (of {sheets}), header row {row}</source>
            <translation>Feuille {sheet} (parmi {sheets}), ligne d’en-tête {row}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/deviations.py" line="107" />
            <source>Signed and recorded: deviation {number} is {status}.</source>
            <translation>Signé et enregistré : la dérogation {number} est {status}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="163" />
            <source>Signed and recorded: {submission} is {state}.</source>
            <translation>Signé et enregistré : {submission} est {state}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="170" />
            <source>Site {code} ({kind}) may write here: {types}.</source>
            <translation>Le site {code} ({kind}) peut écrire ici : {types}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="148" />
            <source>Site {code} ({name}) is enrolled; fingerprint {fp}.</source>
            <translation>Le site {code} ({name}) est enregistré ; empreinte {fp}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/core.py" line="75" />
            <source>Site {code} ({name}) is set up in {folder}.
Administrator: {admin}
Key fingerprint: {fp}</source>
            <translation>Le site {code} ({name}) est configuré dans {folder}.
Administrateur : {admin}
Empreinte de la clé : {fp}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="151" />
            <source>Source</source>
            <translation>Source</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="263" />
            <source>Superseded by a correction.</source>
            <translation>Remplacé par une correction.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="249" />
            <source>Supplier {code} registered.</source>
            <translation>Fournisseur {code} enregistré.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="193" />
            <source>Suppliers to create: {names}</source>
            <translation>Fournisseurs à créer : {names}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="185" />
            <source>The key of site {code} is retired: new packages from it are refused.</source>
            <translation>La clé du site {code} est retirée : ses nouveaux paquets sont refusés.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/people.py" line="110" />
            <source>The password of {user} was reset.</source>
            <translation>Le mot de passe de {user} a été réinitialisé.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="113" />
            <source>This PC is enrolled in plant {code} ({name}); its folder {folder} points at the database {where}. Sign in as usual: partdesk --user NAME ...</source>
            <translation>Ce PC est inscrit dans l'usine {code} ({name}) ; son dossier {folder} pointe vers la base {where}. Connectez-vous comme d'habitude : partdesk --user NOM ...</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="98" />
            <source>This package was imported before; nothing changes.</source>
            <translation>Ce paquet a déjà été importé ; rien ne change.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="281" />
            <source>Unexpected error ({kind}).</source>
            <translation>Erreur inattendue ({kind}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="216" />
            <source>Valid package no. {seq} from {code}{retired}, made {at}: signature, hashes and {revisions} revisions checked, {blobs} files.</source>
            <translation>Paquet n° {seq} de {code}{retired} valide, créé le {at} : signature, empreintes et {revisions} révisions vérifiées, {blobs} fichiers.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="267" />
            <source>Vehicle model {code} registered.</source>
            <translation>Modèle de véhicule {code} enregistré.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/evidence.py" line="261" />
            <source>Verdict: {verdict}</source>
            <translation>Verdict : {verdict}</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/diagnostics.py" line="40" />
            <source>Verify found %Ln problems; they are listed in verify.txt.</source>
            <translation>
                <numerusform>La vérification a trouvé %Ln problème ; il est listé dans verify.txt.</numerusform>
                <numerusform>La vérification a trouvé %Ln problèmes ; ils sont listés dans verify.txt.</numerusform>
            </translation>
        </message>
        <message>
            <source>Verify found {count} problems; they are listed in verify.txt.</source>
            <translation type="vanished">La vérification a trouvé {count} problèmes ; ils sont listés dans verify.txt.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="127" />
            <source>Warning: {sentence}</source>
            <translation>Avertissement : {sentence}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="165" />
            <source>Without the interaction (pooled):</source>
            <translation>Sans l'interaction (regroupée) :</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/evidence.py" line="165" />
            <source>Would add %Ln characteristics.</source>
            <translation>
                <numerusform>%Ln caractéristique serait ajoutée.</numerusform>
                <numerusform>%Ln caractéristiques seraient ajoutées.</numerusform>
            </translation>
        </message>
        <message>
            <source>Would add {n} characteristics.</source>
            <translation type="vanished">{n} caractéristiques seraient ajoutées.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="86" />
            <location filename="../../desktop_app/cli/psw.py" line="58" />
            <source>Wrote {file}.</source>
            <translation>{file} écrit.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="195" />
            <source>enrolled</source>
            <translation>enregistré</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="130" />
            <source>enrolled {date} by {by}</source>
            <translation>inscrit le {date} par {by}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="74" />
            <source>expires within 30 days</source>
            <translation>expire dans les 30 jours</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/laboratories.py" line="87" />
            <source>heat</source>
            <translation>coulée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="116" />
            <location filename="../../desktop_app/cli/msa.py" line="99" />
            <source>invalid</source>
            <translation>invalide</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="196" />
            <source>not enrolled</source>
            <translation>non enregistré</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/retention.py" line="57" />
            <source>production ended {ended}, kept until {until} (%Ln years{who})</source>
            <translation>
                <numerusform>production arrêtée le {ended}, conservé jusqu’au {until} (%Ln an{who})</numerusform>
                <numerusform>production arrêtée le {ended}, conservé jusqu’au {until} (%Ln ans{who})</numerusform>
            </translation>
        </message>
        <message>
            <source>production ended {ended}, kept until {until} ({years} year(s){who})</source>
            <translation type="vanished">production arrêtée le {ended}, conservé jusqu’au {until} ({years} an(s){who})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/plant.py" line="129" />
            <source>removed {date}</source>
            <translation>retiré le {date}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="195" />
            <source>retired</source>
            <translation>retiré</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/deviations.py" line="61" />
            <source>until {date}</source>
            <translation>jusqu’au {date}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="197" />
            <source>{code}  {name} ({kind}), {state}; fingerprint {fp}
      sent: no. {sent} {sent_at}; received: no. {got} {got_at}; {pending} revisions not sent yet</source>
            <translation>{code}  {name} ({kind}), {state} ; empreinte {fp}
      envoyé : n° {sent} {sent_at} ; reçu : n° {got} {got_at} ; {pending} révisions pas encore envoyées</translation>
        </message>
        <message>
            <source>{count} parts written to {file}</source>
            <translation type="vanished">{count} pièces écrites dans {file}</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/retention.py" line="83" />
            <source>{customer}: records kept %Ln years after the end of production.</source>
            <translation>
                <numerusform>{customer} : enregistrements conservés %Ln an après la fin de production.</numerusform>
                <numerusform>{customer} : enregistrements conservés %Ln ans après la fin de production.</numerusform>
            </translation>
        </message>
        <message>
            <source>{customer}: records kept {years} year(s) after the end of production.</source>
            <translation type="vanished">{customer} : enregistrements conservés {years} an(s) après la fin de production.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="189" />
            <source>{file}: {new} new, {changed} changed, {unchanged} unchanged, {error} with errors</source>
            <translation>{file} : {new} nouveaux, {changed} modifiés, {unchanged} inchangés, {error} en erreur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="132" />
            <source>{kind} {shape}; %GRR {grr} % of the total variation, {tolerance} % of the tolerance, ndc {ndc}: {verdict}</source>
            <translation>{kind} {shape} ; %GRR {grr} % de la variation totale, {tolerance} % de la tolérance, ndc {ndc} : {verdict}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/msa.py" line="126" />
            <source>{kind} {shape}; effectiveness {effectiveness} %, miss rate {miss} %, false alarm rate {false_alarm} %, kappa {kappa}: {verdict}</source>
            <translation>{kind} {shape} ; efficacité {effectiveness} %, taux de non-détection {miss} %, taux de fausse alarme {false_alarm} %, kappa {kappa} : {verdict}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/laboratories.py" line="75" />
            <source>{name}: accreditation {number} valid until {until}.</source>
            <translation>{name} : accréditation {number} valable jusqu’au {until}.</translation>
        </message>
        <message>
            <source>{n} certificate(s)</source>
            <translation type="vanished">{n} certificat(s)</translation>
        </message>
        <message>
            <source>{n} deviation(s)</source>
            <translation type="vanished">{n} dérogation(s)</translation>
        </message>
        <message>
            <source>{n} laboratory(ies)</source>
            <translation type="vanished">{n} laboratoire(s)</translation>
        </message>
        <message>
            <source>{n} part revision(s) out of production</source>
            <translation type="vanished">{n} révision(s) de pièce hors production</translation>
        </message>
        <message>
            <source>{n} record(s) past retention; none is deleted.</source>
            <translation type="vanished">{n} enregistrement(s) au-delà de la conservation ; aucun n’est supprimé.</translation>
        </message>
        <message>
            <source>{n} records now hold competing versions; see 'partdesk conflicts list'.</source>
            <translation type="vanished">{n} enregistrements ont maintenant des versions concurrentes ; voir « partdesk conflicts list ».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/retention.py" line="73" />
            <source>{part} {revision}: records kept until {until}.</source>
            <translation>{part} {revision} : enregistrements conservés jusqu’au {until}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/laboratories.py" line="101" />
            <source>{report} is an EN 10204 {type} ({french}).</source>
            <translation>{report} est un document EN 10204 {type} ({french}).</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/parts.py" line="205" />
            <source>{shown} of %Ln parts</source>
            <translation>
                <numerusform>{shown} pièce affichée sur %Ln</numerusform>
                <numerusform>{shown} pièces affichées sur %Ln</numerusform>
            </translation>
        </message>
        <message>
            <source>{shown} of {total} parts</source>
            <translation type="vanished">{shown} pièces sur {total}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/deviations.py" line="62" />
            <source>{used} of {limit} parts</source>
            <translation>{used} pièces sur {limit}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/people.py" line="91" />
            <source>{user} is disabled.</source>
            <translation>{user} est désactivé.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/people.py" line="91" />
            <source>{user} is enabled.</source>
            <translation>{user} est activé.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/people.py" line="82" />
            <source>{user} is now {role}.</source>
            <translation>{user} a maintenant le rôle {role}.</translation>
        </message>
    </context>
    <context>
        <name>ConflictsPage</name>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="211" />
            <source>(deleted)</source>
            <translation>(supprimé)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="213" />
            <source>(shown until merged)</source>
            <translation>(affiché jusqu'à la fusion)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="121" />
            <source>Conflicts</source>
            <translation>Conflits</translation>
        </message>
        <message>
            <source>Each record below holds competing versions from different sites. Until someone merges them, the newest version is shown everywhere and approvals and printing wait. Choose, field by field, the value to keep.</source>
            <translation type="vanished">Chaque enregistrement ci-dessous a des versions concurrentes provenant de sites différents. Tant qu'elles ne sont pas fusionnées, la version la plus récente est affichée partout, et les homologations et impressions sont en attente. Choisissez, champ par champ, la valeur à conserver.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="126" />
            <source>Each record below holds competing versions from different sites. Until the site that created the record merges them, its own version is shown everywhere and approvals and printing wait. That site chooses, field by field, the value to keep.</source>
            <translation>Chaque enregistrement ci-dessous a des versions concurrentes provenant de sites différents. Tant que le site qui a créé l'enregistrement ne les a pas fusionnées, sa propre version est affichée partout, et les approbations et impressions sont en attente. C'est ce site qui choisit, champ par champ, la valeur à conserver.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="206" />
            <source>Field</source>
            <translation>Champ</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="215" />
            <source>Keep</source>
            <translation>Conserver</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="135" />
            <source>Merge</source>
            <translation>Fusionner</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="272" />
            <source>Merged; the new version will travel with the next package.</source>
            <translation>Fusionné ; la nouvelle version partira avec le prochain paquet.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="137" />
            <source>No record holds competing versions: there is nothing to merge.</source>
            <translation>Aucun enregistrement n’a de versions concurrentes : il n’y a rien à fusionner.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="133" />
            <source>Reason</source>
            <translation>Motif</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="131" />
            <source>Record</source>
            <translation>Enregistrement</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="124" />
            <source>Records edited at two sites</source>
            <translation>Enregistrements modifiés sur deux sites</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="131" />
            <source>Sites</source>
            <translation>Sites</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="132" />
            <source>Start from</source>
            <translation>Partir de</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="203" />
            <source>This record belongs to site {code}: only {code} can merge it, and its merge reaches you in its next package.</source>
            <translation>Cet enregistrement appartient au site {code} : seul {code} peut le fusionner, et sa fusion vous parviendra dans son prochain paquet.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="199" />
            <source>This record was created here: the versions from other sites are proposals, and you decide what to keep.</source>
            <translation>Cet enregistrement a été créé ici : les versions des autres sites sont des propositions, et c'est vous qui décidez quoi conserver.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="131" />
            <source>Type</source>
            <translation>Type</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="134" />
            <source>Why this is the right value</source>
            <translation>Pourquoi cette valeur est la bonne</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="236" />
            <source>{site}, {author} ({rev})</source>
            <translation>{site}, {author} ({rev})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/conflicts_page.py" line="208" />
            <source>{site}, {author}, {at}</source>
            <translation>{site}, {author}, {at}</translation>
        </message>
    </context>
    <context>
        <name>ControlChartWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="51" />
            <source>A control chart needs at least two readings (two subgroups).</source>
            <translation>Une carte de contrôle demande au moins deux relevés (deux sous-groupes).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="98" />
            <source>I</source>
            <translation>I</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="77" />
            <source>I-MR chart</source>
            <translation>Carte I-MR</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="211" />
            <source>LCL</source>
            <translation>LCI</translation>
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
            <translation>LCS</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="97" />
            <source>X̄</source>
            <translation>X̄</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="78" />
            <source>X̄-R chart (subgroups of {k})</source>
            <translation>Carte X̄-R (sous-groupes de {k})</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="86" />
            <source>not stable: %Ln points beyond the control limits</source>
            <translation>
                <numerusform>non stable : %Ln point hors des limites de contrôle</numerusform>
                <numerusform>non stable : %Ln points hors des limites de contrôle</numerusform>
            </translation>
        </message>
        <message>
            <source>not stable: {count} point(s) beyond the control limits</source>
            <translation type="vanished">non stable : {count} point(s) hors des limites de contrôle</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="85" />
            <source>stable: no point beyond the control limits</source>
            <translation>stable : aucun point hors des limites de contrôle</translation>
        </message>
    </context>
    <context>
        <name>DamagedFolderDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/damaged_folder_dialog.py" line="100" />
            <source>An administrator of that backup signs in to restore it; the damaged database is kept aside, not deleted.</source>
            <translation>Un administrateur de cette sauvegarde se connecte pour la restaurer ; la base de données endommagée est mise de côté, pas supprimée.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/damaged_folder_dialog.py" line="97" />
            <source>PartDesk — Damaged data folder</source>
            <translation>PartDesk — Dossier de données endommagé</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/damaged_folder_dialog.py" line="103" />
            <source>Password</source>
            <translation>Mot de passe</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/damaged_folder_dialog.py" line="105" />
            <source>Quit</source>
            <translation>Quitter</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/damaged_folder_dialog.py" line="104" />
            <source>Restore the newest backup</source>
            <translation>Restaurer la sauvegarde la plus récente</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/damaged_folder_dialog.py" line="102" />
            <source>User name</source>
            <translation>Nom d'utilisateur</translation>
        </message>
    </context>
    <context>
        <name>DashboardLists</name>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="117" />
            <source>(an earlier version of the step)</source>
            <translation>(une version antérieure de l'étape)</translation>
        </message>
        <message>
            <source>A milestone is still missed after its 12 months of grace: the supply programme is frozen until the rate is reached.</source>
            <translation type="vanished">Un jalon reste manqué après ses 12 mois de délai supplémentaire : le programme d'approvisionnement est gelé jusqu'à ce que le taux soit atteint.</translation>
        </message>
        <message>
            <source>A milestone is still missed after its {months} months of grace: the supply programme is frozen until the rate is reached.</source>
            <translation type="vanished">Un jalon reste manqué après ses {months} mois de délai supplémentaire : le programme d’approvisionnement est gelé jusqu’à ce que le taux soit atteint.</translation>
        </message>
        <message>
            <source>A milestone was missed: 12 more months with the supply programme cut by 25 % (decree 24-159 art. 30).</source>
            <translation type="vanished">Un jalon a été manqué : 12 mois supplémentaires avec le programme d'approvisionnement réduit de 25 % (décret 24-159 art. 30).</translation>
        </message>
        <message>
            <source>A milestone was missed: {months} more months with the supply programme cut by {cut} %.</source>
            <translation type="vanished">Un jalon a été manqué : {months} mois de plus avec le programme d’approvisionnement réduit de {cut} %.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="44" />
            <source>A missed milestone opens {months} more months — {source}</source>
            <translation>Un jalon manqué ouvre {months} mois de plus — {source}</translation>
        </message>
        <message>
            <source>APQP phase</source>
            <translation type="vanished">Phase APQP</translation>
        </message>
        <message>
            <source>Acknowledged up to</source>
            <translation type="vanished">Accusé de réception jusqu'au n°</translation>
        </message>
        <message>
            <source>Applied here at</source>
            <translation type="vanished">Appliqué ici le</translation>
        </message>
        <message>
            <source>Certificate</source>
            <translation type="vanished">Certificat</translation>
        </message>
        <message>
            <source>Code</source>
            <translation type="vanished">Code</translation>
        </message>
        <message>
            <source>Component</source>
            <translation type="vanished">Composant</translation>
        </message>
        <message>
            <source>Contributory rate</source>
            <translation type="vanished">Taux contributif</translation>
        </message>
        <message>
            <source>Counts for</source>
            <translation type="vanished">Compte pour</translation>
        </message>
        <message>
            <source>Date</source>
            <translation type="vanished">Date</translation>
        </message>
        <message>
            <source>Days late</source>
            <translation type="vanished">Jours de retard</translation>
        </message>
        <message>
            <source>Days left</source>
            <translation type="vanished">Jours restants</translation>
        </message>
        <message>
            <source>Designation</source>
            <translation type="vanished">Désignation</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="46" />
            <source>During them the annual supply programme is cut by {cut} % — {source}</source>
            <translation>Pendant ce délai, le programme annuel d’approvisionnement est réduit de {cut} % — {source}</translation>
        </message>
        <message>
            <source>End of year {n}</source>
            <translation type="vanished">Fin de l'année {n}</translation>
        </message>
        <message>
            <source>Expires on</source>
            <translation type="vanished">Expire le</translation>
        </message>
        <message>
            <source>Fact</source>
            <translation type="vanished">Élément</translation>
        </message>
        <message>
            <source>Family</source>
            <translation type="vanished">Famille</translation>
        </message>
        <message>
            <source>Forecast</source>
            <translation type="vanished">Prévision</translation>
        </message>
        <message>
            <source>Forecast date</source>
            <translation type="vanished">Date prévue</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="65" />
            <source>Forecast rate on {day}: {rate} for a target of {target}.</source>
            <translation>Taux prévu au {day} : {rate} pour un objectif de {target}.</translation>
        </message>
        <message>
            <source>Interim approvals expiring soon</source>
            <translation type="vanished">Approbations provisoires arrivant à échéance</translation>
        </message>
        <message>
            <source>Interim approvals valid today that end within 60 days.</source>
            <translation type="vanished">Approbations provisoires valides aujourd'hui qui prennent fin dans les 60 jours.</translation>
        </message>
        <message>
            <source>Key fingerprint</source>
            <translation type="vanished">Empreinte de la clé</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation type="vanished">Type</translation>
        </message>
        <message>
            <source>Last change</source>
            <translation type="vanished">Dernière modification</translation>
        </message>
        <message>
            <source>Last package received</source>
            <translation type="vanished">Dernier paquet reçu</translation>
        </message>
        <message>
            <source>Last package sent</source>
            <translation type="vanished">Dernier paquet envoyé</translation>
        </message>
        <message>
            <source>Local parts (share)</source>
            <translation type="vanished">Pièces locales (part)</translation>
        </message>
        <message>
            <source>Made</source>
            <translation type="vanished">Fabrication</translation>
        </message>
        <message>
            <source>Made by the site at</source>
            <translation type="vanished">Créé par le site le</translation>
        </message>
        <message>
            <source>Milestone</source>
            <translation type="vanished">Jalon</translation>
        </message>
        <message>
            <source>Milestones of {model}</source>
            <translation type="vanished">Jalons de {model}</translation>
        </message>
        <message>
            <source>Model</source>
            <translation type="vanished">Modèle</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="55" />
            <source>No freeze at the end — {source}</source>
            <translation>Pas de gel à la fin — {source}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="129" />
            <source>Not signed yet.</source>
            <translation>Pas encore signée.</translation>
        </message>
        <message>
            <source>Owner</source>
            <translation type="vanished">Responsable</translation>
        </message>
        <message>
            <source>Part</source>
            <translation type="vanished">Pièce</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="97" />
            <source>Planned vehicles: {volumes}</source>
            <translation>Véhicules prévus : {volumes}</translation>
        </message>
        <message>
            <source>Planned volumes</source>
            <translation type="vanished">Volumes prévus</translation>
        </message>
        <message>
            <source>Rate on its date</source>
            <translation type="vanished">Taux à sa date</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="67" />
            <source>Rate on {day}: {rate} for a target of {target}.</source>
            <translation>Taux au {day} : {rate} pour un objectif de {target}.</translation>
        </message>
        <message>
            <source>Rate reached</source>
            <translation type="vanished">Taux atteint</translation>
        </message>
        <message>
            <source>Reference</source>
            <translation type="vanished">Référence</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="111" />
            <source>Required evidence: {items}</source>
            <translation>Preuves requises : {items}</translation>
        </message>
        <message>
            <source>Revisions not yet sent</source>
            <translation type="vanished">Révisions pas encore envoyées</translation>
        </message>
        <message>
            <source>Set</source>
            <translation type="vanished">Ensemble</translation>
        </message>
        <message>
            <source>Sets of {model}</source>
            <translation type="vanished">Ensembles de {model}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="120" />
            <source>Signed for the {party} by {name} on {day}: {comment}</source>
            <translation>Signée pour le {party} par {name} le {day} : {comment}</translation>
        </message>
        <message>
            <source>Site</source>
            <translation type="vanished">Site</translation>
        </message>
        <message>
            <source>Site {code}</source>
            <translation type="vanished">Site {code}</translation>
        </message>
        <message>
            <source>State</source>
            <translation type="vanished">État</translation>
        </message>
        <message>
            <source>Status</source>
            <translation type="vanished">Statut</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="73" />
            <source>Status set by hand: {reason}</source>
            <translation>Statut fixé à la main : {reason}</translation>
        </message>
        <message>
            <source>Step</source>
            <translation type="vanished">Étape</translation>
        </message>
        <message>
            <source>Step {code}</source>
            <translation type="vanished">Étape {code}</translation>
        </message>
        <message>
            <source>Steps: {n}</source>
            <translation type="vanished">Étapes : {n}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="53" />
            <source>Still missed at the end, the supply programme is frozen until the rate is reached — {source}</source>
            <translation>Toujours manqué à la fin, le programme d’approvisionnement est gelé jusqu’à ce que le taux soit atteint — {source}</translation>
        </message>
        <message>
            <source>Submission</source>
            <translation type="vanished">Soumission</translation>
        </message>
        <message>
            <source>Submissions: {n}</source>
            <translation type="vanished">Soumissions : {n}</translation>
        </message>
        <message>
            <source>Submissions: {state}</source>
            <translation type="vanished">Soumissions : {state}</translation>
        </message>
        <message>
            <source>Target</source>
            <translation type="vanished">Cible</translation>
        </message>
        <message>
            <source>Target date</source>
            <translation type="vanished">Date cible</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="70" />
            <source>Target reached (or expected) on {day}.</source>
            <translation>Objectif atteint (ou attendu) le {day}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="49" />
            <source>The cut ends as soon as the rate is reached — {source}</source>
            <translation>La réduction prend fin dès que le taux est atteint — {source}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="51" />
            <source>The cut lasts the whole period, even once the rate is reached — {source}</source>
            <translation>La réduction dure toute la période, même une fois le taux atteint — {source}</translation>
        </message>
        <message>
            <source>The forecast reaches the next milestone in time.</source>
            <translation type="vanished">La prévision atteint le prochain jalon à temps.</translation>
        </message>
        <message>
            <source>The forecast stays below the next milestone's target on its date.</source>
            <translation type="vanished">La prévision reste sous la cible du prochain jalon à sa date.</translation>
        </message>
        <message>
            <source>Title</source>
            <translation type="vanished">Intitulé</translation>
        </message>
        <message>
            <source>Value</source>
            <translation type="vanished">Valeur</translation>
        </message>
        <message>
            <source>Verdict</source>
            <translation type="vanished">Verdict</translation>
        </message>
        <message>
            <source>Why</source>
            <translation type="vanished">Pourquoi</translation>
        </message>
        <message>
            <source>forecast met</source>
            <translation type="vanished">atteint selon la prévision</translation>
        </message>
        <message>
            <source>forecast short</source>
            <translation type="vanished">insuffisant selon la prévision</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="102" />
            <source>imported</source>
            <translation>importé</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="101" />
            <source>local</source>
            <translation>local</translation>
        </message>
        <message>
            <source>met</source>
            <translation type="vanished">atteint</translation>
        </message>
        <message>
            <source>missed</source>
            <translation type="vanished">manqué</translation>
        </message>
        <message>
            <source>not signed yet</source>
            <translation type="vanished">pas encore signée</translation>
        </message>
        <message>
            <source>{code} — {title}. Target {rate} by {day}; status {status}. Evidence: {evidence}. Sign-offs: {signoffs}.</source>
            <translation type="vanished">{code} — {title}. Cible {rate} au {day} ; statut {status}. Preuves : {evidence}. Signatures : {signoffs}.</translation>
        </message>
        <message>
            <source>{model}: {rate} on {day} — {n} of {total} sets count. The reference list totals {listed}.</source>
            <translation type="vanished">{model} : {rate} au {day} — {n} ensembles sur {total} comptent. La liste de référence totalise {listed}.</translation>
        </message>
    </context>
    <context>
        <name>DashboardPage</name>
        <message>
            <source>%n interim approval(s) within 60 days</source>
            <translation type="vanished">%n agrément(s) provisoire(s) dans les 60 jours</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="166" />
            <source>Certification pipeline</source>
            <translation>Certifications en cours</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="158" />
            <source>Dashboard</source>
            <translation>Tableau de bord</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="226" />
            <source>Ending within 60 days: {n}</source>
            <translation>Échéance dans les 60 jours : {n}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="162" />
            <source>Integration rate today</source>
            <translation>Taux d'intégration aujourd'hui</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="167" />
            <source>Interim approvals expiring soon</source>
            <translation>Approbations provisoires arrivant à échéance</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="169" />
            <source>Last package received from each site</source>
            <translation>Dernier paquet reçu de chaque site</translation>
        </message>
        <message>
            <source>Late roadmap steps</source>
            <translation type="vanished">Étapes en retard</translation>
        </message>
        <message>
            <source>Late steps: %n</source>
            <translation type="vanished">Étapes en retard : %n</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="217" />
            <source>Late steps: {n}</source>
            <translation>Étapes en retard : {n}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="266" />
            <source>Next: ≥ {target} % on {day} — forecast {forecast} %</source>
            <translation>Prochain jalon : ≥ {target} % le {day} — prévision {forecast} %</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="269" />
            <source>No milestone ahead</source>
            <translation>Aucun jalon à venir</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="250" />
            <source>No other site enrolled.</source>
            <translation>Aucun autre site enregistré.</translation>
        </message>
        <message>
            <source>No vehicle model yet.</source>
            <translation type="vanished">Aucun modèle de véhicule pour l'instant.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="202" />
            <source>No vehicle model yet: add one with “Suppliers and vehicle models” in the checklist above, or on the Parts page.</source>
            <translation>Aucun modèle de véhicule pour l’instant : ajoutez-en un avec « Fournisseurs et modèles de véhicules » dans la liste ci-dessus, ou sur la page Pièces.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="283" />
            <source>Parts approved today: {approved} of {registered}</source>
            <translation>Pièces approuvées aujourd’hui : {approved} sur {registered}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="163" />
            <source>Planned and forecast rate, with the regulatory milestones</source>
            <translation>Taux planifié et prévu, avec les jalons réglementaires</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="168" />
            <source>Record a delivery…</source>
            <translation>Enregistrer une livraison…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="165" />
            <source>Roadmap steps</source>
            <translation>Étapes de la feuille de route</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="290" />
            <source>Rules: {months} months of grace, supply cut by {cut} %, {ends}, {freeze}.</source>
            <translation>Règles : {months} mois de délai supplémentaire, approvisionnement réduit de {cut} %, {ends}, {freeze}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="262" />
            <source>Sets that count and why the others do not</source>
            <translation>Les ensembles qui comptent et pourquoi les autres ne comptent pas</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="285" />
            <source>The parts of this model that hold a valid PPAP approval today, on the Parts page</source>
            <translation>Les pièces de ce modèle qui ont une approbation PPAP valable aujourd’hui, sur la page Pièces</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="161" />
            <source>Where each vehicle model stands</source>
            <translation>Où en est chaque modèle de véhicule</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="347" />
            <source>certificates of interim approvals ending within {days} days</source>
            <translation>certificats d’approbations provisoires qui prennent fin sous {days} jours</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="293" />
            <source>cut ends when the rate is reached</source>
            <translation>la réduction prend fin quand le taux est atteint</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="294" />
            <source>cut lasts the whole grace</source>
            <translation>la réduction dure tout le délai</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="295" />
            <source>no freeze</source>
            <translation>pas de gel</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="365" />
            <source>parts of {model} approved on {day}</source>
            <translation>pièces de {model} approuvées le {day}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="357" />
            <source>site {code} — {name}</source>
            <translation>site {code} — {name}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="341" />
            <source>step {code} of {model}</source>
            <translation>étape {code} de {model}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="352" />
            <source>submissions in the state “{state}”</source>
            <translation>soumissions à l’état « {state} »</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="275" />
            <source>supply at {share} of plan</source>
            <translation>approvisionnement à {share} du plan</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="332" />
            <source>the late roadmap steps of every model ({n} on the dashboard)</source>
            <translation>les étapes en retard de la feuille de route de chaque modèle ({n} au tableau de bord)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="319" />
            <source>the reference list of {model}: {n} of {total} sets count</source>
            <translation>la liste de référence de {model} : {n} ensembles sur {total} comptent</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="326" />
            <source>the regulatory milestones of {model}: {state}</source>
            <translation>les jalons réglementaires de {model} : {state}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="295" />
            <source>then frozen</source>
            <translation>puis gel</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="274" />
            <source>until {day}</source>
            <translation>jusqu'au {day}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="245" />
            <source>{code}: nothing received yet</source>
            <translation>{code} : rien reçu pour l'instant</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="242" />
            <source>{code}: package #{seq} received {at}</source>
            <translation>{code} : paquet n° {seq} reçu le {at}</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="230" />
            <source>{part}: until {day} (%Ln days)</source>
            <translation>
                <numerusform>{part} : jusqu’au {day} (%Ln jour)</numerusform>
                <numerusform>{part} : jusqu’au {day} (%Ln jours)</numerusform>
            </translation>
        </message>
        <message>
            <source>{part}: until {day} ({n} days)</source>
            <translation type="vanished">{part} : jusqu'au {day} ({n} jours)</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="234" />
            <source>{part}: {shipped} of %Ln pieces shipped ({left} left)</source>
            <translation>
                <numerusform>{part} : {shipped} sur %Ln pièce livrée ({left} restante)</numerusform>
                <numerusform>{part} : {shipped} sur %Ln pièces livrées ({left} restantes)</numerusform>
            </translation>
        </message>
        <message>
            <source>{part}: {shipped} of {limit} pieces shipped ({n} left)</source>
            <translation type="vanished">{part} : {shipped} pièces livrées sur {limit} ({n} restantes)</translation>
        </message>
    </context>
    <context>
        <name>DeliveryDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/delivery_dialog.py" line="37" />
            <source>Delivery note</source>
            <translation>Bon de livraison</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/delivery_dialog.py" line="34" />
            <source>Part</source>
            <translation>Pièce</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/delivery_dialog.py" line="35" />
            <source>Pieces shipped</source>
            <translation>Pièces livrées</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/delivery_dialog.py" line="39" />
            <source>Record a delivery</source>
            <translation>Enregistrer une livraison</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/delivery_dialog.py" line="36" />
            <source>Shipped on</source>
            <translation>Livré le</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/delivery_dialog.py" line="25" />
            <source>{part} — {certificate}: %Ln pieces left</source>
            <translation>
                <numerusform>{part} — {certificate} : %Ln pièce restante</numerusform>
                <numerusform>{part} — {certificate} : %Ln pièces restantes</numerusform>
            </translation>
        </message>
        <message>
            <source>{part} — {certificate}: {n} left</source>
            <translation type="vanished">{part} — {certificate} : {n} restantes</translation>
        </message>
    </context>
    <context>
        <name>Deviations</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="169" />
            <source>%Ln deviations</source>
            <translation>
                <numerusform>%Ln dérogation</numerusform>
                <numerusform>%Ln dérogations</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/deviations.py" line="31" />
            <source>Approved, valid</source>
            <translation>Approuvée, valable</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="147" />
            <source>Approve…</source>
            <translation>Approuver…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/deviations.py" line="30" />
            <source>Awaiting the customer</source>
            <translation>En attente du client</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/deviations.py" line="33" />
            <source>Changed since its approval</source>
            <translation>Modifiée depuis son approbation</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="105" />
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="74" />
            <source>Characteristics</source>
            <translation>Caractéristiques</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="184" />
            <source>Choose a deviation first.</source>
            <translation>Choisissez d’abord une dérogation.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="158" />
            <source>Choose a part revision.</source>
            <translation>Choisissez une révision de pièce.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="257" />
            <source>Comment</source>
            <translation>Commentaire</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="81" />
            <source>Customer's decision</source>
            <translation>Décision du client</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="108" />
            <source>Customer's number (empty: the next DEV number)</source>
            <translation>Numéro du client (vide : le prochain numéro DEV)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="70" />
            <source>Deviation</source>
            <translation>Dérogation</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="246" />
            <source>Deviation {number} approved</source>
            <translation>Dérogation {number} approuvée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="247" />
            <source>Deviation {number} rejected</source>
            <translation>Dérogation {number} refusée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="205" />
            <source>Deviation {number}: {status}.</source>
            <translation>Dérogation {number} : {status}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="239" />
            <source>Electronic signature — approve a deviation</source>
            <translation>Signature électronique — approuver une dérogation</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="241" />
            <source>Electronic signature — reject a deviation</source>
            <translation>Signature électronique — refuser une dérogation</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/deviations.py" line="34" />
            <source>Expired</source>
            <translation>Expirée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="113" />
            <source>Limited by an expiry date</source>
            <translation>Limitée par une date d’expiration</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="77" />
            <source>Limited to</source>
            <translation>Limitée à</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="72" />
            <source>Part</source>
            <translation>Pièce</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="104" />
            <source>Part revision</source>
            <translation>Révision de pièce</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="248" />
            <source>Part {part} {revision}, characteristic(s) {numbers}</source>
            <translation>Pièce {part} {revision}, caractéristique(s) {numbers}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="150" />
            <source>Parts shipped under the deviation</source>
            <translation>Pièces livrées sous la dérogation</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="258" />
            <source>Password</source>
            <translation>Mot de passe</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="107" />
            <source>Quantity (0: none)</source>
            <translation>Quantité (0 : aucune)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/deviations.py" line="35" />
            <source>Quantity used up</source>
            <translation>Quantité épuisée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="256" />
            <source>Reason</source>
            <translation>Motif</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="149" />
            <source>Record parts shipped</source>
            <translation>Enregistrer des pièces livrées</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/deviations.py" line="32" />
            <source>Rejected</source>
            <translation>Refusée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="148" />
            <source>Reject…</source>
            <translation>Refuser…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="114" />
            <source>Request</source>
            <translation>Demande</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="103" />
            <source>Request a deviation</source>
            <translation>Demander une dérogation</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="146" />
            <source>Request a deviation…</source>
            <translation>Demander une dérogation…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="104" />
            <source>Search parts</source>
            <translation>Rechercher des pièces</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="259" />
            <source>Sign</source>
            <translation>Signer</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="272" />
            <source>Signing…</source>
            <translation>Signature…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="78" />
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="107" />
            <source>Valid until</source>
            <translation>Valable jusqu’au</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="106" />
            <source>What it allows, how the product is contained</source>
            <translation>Ce qu’elle permet, comment le produit est confiné</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="242" />
            <source>Your signature is recorded with your name, this meaning, the time and the exact revision of the request. Type your password to sign.</source>
            <translation>Votre signature est enregistrée avec votre nom, cette signification, l’heure et la révision exacte de la demande. Tapez votre mot de passe pour signer.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="252" />
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="51" />
            <source>until {date}</source>
            <translation>jusqu’au {date}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/deviation_dialogs.py" line="254" />
            <source>{limit} parts</source>
            <translation>{limit} pièces</translation>
        </message>
        <message>
            <source>{n} deviation(s)</source>
            <translation type="vanished">{n} dérogation(s)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="53" />
            <source>{used} of {limit} parts</source>
            <translation>{used} pièces sur {limit}</translation>
        </message>
    </context>
    <context>
        <name>EnrolDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="315" />
            <source>Ask the other site's administrator for their key file and, separately, by phone or on paper, for its fingerprint. Type the fingerprint you were told: the key is enrolled only if they match.</source>
            <translation>Demandez à l'administrateur de l'autre site son fichier de clé et, séparément, par téléphone ou sur papier, son empreinte. Saisissez l'empreinte qui vous a été communiquée : la clé n'est enregistrée que si elles correspondent.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="320" />
            <source>Choose…</source>
            <translation>Choisir…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="313" />
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="346" />
            <source>Enrol a site</source>
            <translation>Enregistrer un site</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="319" />
            <source>Fingerprint</source>
            <translation>Empreinte</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="322" />
            <source>It may write here:</source>
            <translation>Ce site peut écrire ici :</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="318" />
            <source>Key file</source>
            <translation>Fichier de clé</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="347" />
            <source>Site key files (*.partdesk-key *.json)</source>
            <translation>Fichiers de clé de site (*.partdesk-key *.json)</translation>
        </message>
    </context>
    <context>
        <name>Errors</name>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="281" />
            <source>"{text}" is not a K-field (K and four digits, such as K2110/1).</source>
            <translation>« {text} » n'est pas un champ K (K suivi de quatre chiffres, par exemple K2110/1).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="59" />
            <source>'Restore the newest backup' brings back the newest verified backup, {backup}</source>
            <translation>« Restaurer la sauvegarde la plus récente » rétablit la dernière sauvegarde vérifiée, {backup}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="56" />
            <source>'partdesk restore --latest' brings back the newest verified backup, {backup}</source>
            <translation>« partdesk restore --latest » rétablit la dernière sauvegarde vérifiée, {backup}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="128" />
            <location filename="../../desktop_app/services/parts.py" line="230" />
            <source>'{value}' is not a date (YYYY-MM-DD).</source>
            <translation>« {value} » n'est pas une date (AAAA-MM-JJ).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="113" />
            <source>'{value}' is not a kind of set; use set, subset or accessory.</source>
            <translation>« {value} » n'est pas un type d'ensemble ; utilisez set, subset ou accessory.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="82" />
            <source>'{value}' is not a period; write 2027, 2027-Q1 or 2027-03.</source>
            <translation>« {value} » n'est pas une période ; écrivez 2027, 2027-Q1 ou 2027-03.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="234" />
            <location filename="../../desktop_app/domain/roadmap.py" line="237" />
            <source>'{value}' is not a step status.</source>
            <translation>« {value} » n'est pas un statut d'étape.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="154" />
            <source>'{value}' is not yes or no.</source>
            <translation>« {value} » n’est ni oui ni non.</translation>
        </message>
        <message>
            <source>'{value}'{where} is not a kind of set; use set, subset or accessory.</source>
            <translation type="vanished">« {value} »{where} n'est pas un type d'ensemble ; utilisez set, subset ou accessory.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="92" />
            <source>A 3.2 certificate (certificat de réception 3.2) is also validated by the purchaser's authorised representative or the inspector designated by official regulations: name them.</source>
            <translation>Un certificat 3.2 (certificat de réception 3.2) est aussi validé par le représentant autorisé de l’acheteur ou l’inspecteur désigné par la réglementation officielle : nommez-le.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification.py" line="337" />
            <source>A PPAP level is 1 to 5.</source>
            <translation>Un niveau PPAP va de 1 à 5.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="185" />
            <source>A characteristic needs a lower limit, an upper limit or both.</source>
            <translation>Une caractéristique a besoin d'une limite inférieure, d'une limite supérieure ou des deux.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="165" />
            <source>A characteristic needs a number of 1 to 20 characters (the balloon).</source>
            <translation>Une caractéristique a besoin d'un numéro de 1 à 20 caractères (la bulle).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="111" />
            <source>A component needs a name.</source>
            <translation>Un composant a besoin d'un nom.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="230" />
            <source>A correction needs a reason.</source>
            <translation>Une correction a besoin d'un motif.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="297" />
            <source>A correction of report {number} must be for the same part.</source>
            <translation>Une correction du rapport {number} doit concerner la même pièce.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification.py" line="213" />
            <source>A customer choice is S (submit) or R (retain) for a known element; {element} is not.</source>
            <translation>Un choix client est S (soumettre) ou R (conserver) pour un élément connu ; {element} ne l'est pas.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deliveries.py" line="73" />
            <source>A delivery is a whole number of pieces, 1 or more, not '{value}'.</source>
            <translation>Une livraison est un nombre entier de pièces, 1 ou plus, pas « {value} ».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deliveries.py" line="79" />
            <source>A delivery on {day} is in the future; record it once shipped.</source>
            <translation>Une livraison au {day} est dans le futur ; enregistrez-la une fois expédiée.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="195" />
            <source>A deviation is limited by an expiry date, a quantity or both.</source>
            <translation>Une dérogation est limitée par une date d’expiration, une quantité ou les deux.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="187" />
            <source>A deviation names at least one characteristic it allows.</source>
            <translation>Une dérogation nomme au moins une caractéristique qu’elle permet.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="191" />
            <source>A deviation says what it allows and how the product is contained.</source>
            <translation>Une dérogation dit ce qu’elle permet et comment le produit est confiné.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="222" />
            <source>A family code uses letters, digits and underscores only (at most 40).</source>
            <translation>Un code de famille n'utilise que des lettres, des chiffres et des tirets bas (40 au plus).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/gauges.py" line="75" />
            <source>A gauge needs an identifier of 1 to 40 characters.</source>
            <translation>Un instrument a besoin d'un identifiant de 1 à 40 caractères.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="105" />
            <source>A join code is valid for 1 to {most} hours.</source>
            <translation>Un code d'adhésion est valable de 1 à {most} heures.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/revisions.py" line="76" />
            <source>A key at {path} is not text.</source>
            <translation>Une clé à {path} n'est pas du texte.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="171" />
            <source>A measurement system study needs at least {min} operators; the readings name {count}.</source>
            <translation>Une étude du système de mesure demande au moins {min} opérateurs ; les mesures en nomment {count}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="176" />
            <source>A measurement system study needs at least {min} parts; the readings name {count}.</source>
            <translation>Une étude du système de mesure demande au moins {min} pièces ; les mesures en nomment {count}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="182" />
            <source>A measurement system study needs at least {min} trials by every operator on every part; the readings hold {count}.</source>
            <translation>Une étude du système de mesure demande au moins {min} essais de chaque opérateur sur chaque pièce ; les mesures en contiennent {count}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/conflicts.py" line="126" />
            <location filename="../../desktop_app/storage/revisions.py" line="343" />
            <source>A merge needs a reason.</source>
            <translation>Une fusion a besoin d'un motif.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="68" />
            <source>A milestone falls 1 to 30 years after approval, not '{value}'.</source>
            <translation>Un jalon tombe 1 à 30 ans après l'agrément, pas « {value} ».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts.py" line="134" />
            <source>A new drawing revision needs a revision other than {revision}.</source>
            <translation>Une nouvelle révision de plan a besoin d'un indice autre que {revision}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="380" />
            <source>A part cannot go from {old} to {new}.</source>
            <translation>Une pièce ne peut pas passer de {old} à {new}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/integration.py" line="252" />
            <source>A part's share of its set must be above 0 %.</source>
            <translation>La part d'une pièce dans son ensemble doit être supérieure à 0 %.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="153" />
            <source>A password has at least {n} characters.</source>
            <translation>Un mot de passe compte au moins {n} caractères.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="159" />
            <source>A password must differ from the user name.</source>
            <translation>Un mot de passe doit être différent du nom d'utilisateur.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/people.py" line="305" />
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="42" />
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="29" />
            <source>A person needs a full name.</source>
            <translation>Une personne a besoin d'un nom complet.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="62" />
            <source>A plant shares one PostgreSQL database: give its address with --database-url postgresql+psycopg://USER:PASSWORD@SERVER/DATABASE.</source>
            <translation>Une usine partage une base PostgreSQL : donnez son adresse avec --database-url postgresql+psycopg://USER:PASSWORD@SERVER/DATABASE.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="150" />
            <source>A reading of trial {trial} names no operator or no part; every reading names both.</source>
            <translation>Une mesure de l'essai {trial} ne nomme pas d'opérateur ou pas de pièce ; chaque mesure nomme les deux.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/roadmap_report.py" line="79" />
            <source>A report is written as .xlsx or .pdf, not {suffix}.</source>
            <translation>Un rapport s'écrit en .xlsx ou .pdf, pas en {suffix}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/retention.py" line="139" />
            <source>A retention period is 1 to {max} years after the end of production.</source>
            <translation>Une durée de conservation va de 1 à {max} ans après la fin de production.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/revisions.py" line="253" />
            <source>A revision is malformed ({detail}).</source>
            <translation>Une révision est mal formée ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="161" />
            <source>A roadmap step needs a code.</source>
            <translation>Une étape de feuille de route a besoin d'un code.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="147" />
            <source>A set needs a code.</source>
            <translation>Un ensemble a besoin d'un code.</translation>
        </message>
        <message>
            <source>A set needs a code{where}.</source>
            <translation type="vanished">Un ensemble a besoin d'un code{where}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="131" />
            <source>A signed batch in the package is malformed (line {line}: {detail}).</source>
            <translation>Un lot signé du paquet est mal formé (ligne {line} : {detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="181" />
            <source>A site code is 2 to 8 letters or digits, such as MSR.</source>
            <translation>Un code de site compte 2 à 8 lettres ou chiffres, comme MSR.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/site.py" line="82" />
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="41" />
            <source>A site needs a name.</source>
            <translation>Un site a besoin d'un nom.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="240" />
            <source>A status set by hand on step {code} needs a reason; without one the status is computed from the integration rate.</source>
            <translation>Un statut fixé à la main sur l’étape {code} demande un motif ; sans motif, le statut est calculé à partir du taux d’intégration.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa.py" line="219" />
            <location filename="../../desktop_app/services/msa_sheets.py" line="93" />
            <source>A study holds at most {limit} readings; the sheet has {count}.</source>
            <translation>Une étude contient au plus {limit} mesures ; la feuille en a {count}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa.py" line="216" />
            <source>A study needs its readings.</source>
            <translation>Une étude a besoin de ses mesures.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="331" />
            <source>A subgroup size is between 1 and 10.</source>
            <translation>La taille d'un sous-groupe est comprise entre 1 et 10.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification.py" line="280" />
            <source>A submission that is {state} cannot be edited.</source>
            <translation>Une soumission à l'état {state} ne peut pas être modifiée.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="138" />
            <source>A submission that is {state} cannot be {action}.</source>
            <translation>Une soumission à l'état {state} ne peut pas être {action}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="137" />
            <source>A user name is 2 to 32 letters, digits, dots, dashes or underscores.</source>
            <translation>Un nom d'utilisateur compte 2 à 32 lettres, chiffres, points, tirets ou tirets bas.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="81" />
            <source>A {type} ({french}) is a specific inspection of the delivered material: it names the heat number.</source>
            <translation>Un {type} ({french}) est un contrôle spécifique du matériau livré : il indique le numéro de coulée.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="101" />
            <source>A {type} ({french}) is issued by the manufacturer without an inspection representative; record a 3.1 for a specific inspection.</source>
            <translation>Un {type} ({french}) est délivré par le fabricant sans représentant du contrôle ; enregistrez un 3.1 pour un contrôle spécifique.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="86" />
            <source>A {type} ({french}) is validated by the manufacturer's authorised inspection representative, independent of manufacturing: name them.</source>
            <translation>Un {type} ({french}) est validé par le représentant autorisé du contrôle du fabricant, indépendant de la fabrication : nommez-le.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="30" />
            <source>Access to {path} was denied (the file or its folder is read-only or belongs to another account), and nothing was changed.</source>
            <translation>L'accès à {path} a été refusé (le fichier ou son dossier est en lecture seule ou appartient à un autre compte) ; rien n'a été modifié.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="73" />
            <source>An EN 10204 inspection document is of type 2.1, 2.2, 3.1 or 3.2.</source>
            <translation>Un document de contrôle EN 10204 est de type 2.1, 2.2, 3.1 ou 3.2.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/laboratories.py" line="149" />
            <source>An ISO/IEC 17025 accreditation has an expiry date.</source>
            <translation>Une accréditation ISO/IEC 17025 a une date d’expiration.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa_sheets.py" line="100" />
            <source>An attribute agreement sheet needs a reference column: the right decision (OK or NG) for each part.</source>
            <translation>Une feuille d'étude de concordance par attributs a besoin d'une colonne de référence : la bonne décision (OK ou NG) pour chaque pièce.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="113" />
            <source>An interim approval is limited by an expiry date, a quantity or both.</source>
            <translation>Une approbation provisoire est limitée par une date d'expiration, une quantité ou les deux.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="126" />
            <source>An interim approval needs the supplier's corrective action plan.</source>
            <translation>Une approbation provisoire nécessite le plan d'actions correctives du fournisseur.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="154" />
            <source>An operator or a part is named in at most {limit} characters.</source>
            <translation>Un opérateur ou une pièce est nommé en {limit} caractères au plus.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/backup.py" line="71" />
            <source>Backups of a server database are made by the server's own tools.</source>
            <translation>Les sauvegardes d'une base de données serveur se font avec les outils du serveur.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="107" />
            <source>Cancelled; nothing was changed.</source>
            <translation>Annulé ; rien n'a été modifié.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certificates.py" line="69" />
            <source>Certificate {number} cannot be printed: its submission was edited at two sites and must be merged first.</source>
            <translation>Le certificat {number} ne peut pas être imprimé : sa soumission a été modifiée sur deux sites et doit d'abord être fusionnée.</translation>
        </message>
        <message>
            <source>Certificate {number} cannot be printed: the submission was edited after it was signed and needs re-approval.</source>
            <translation type="vanished">Le certificat {number} ne peut pas être imprimé : la soumission a été modifiée après sa signature et doit être réapprouvée.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certificates.py" line="75" />
            <source>Certificate {number} carries this site's code but was not issued here; it is not printed.</source>
            <translation>Le certificat {number} porte le code de ce site mais n'a pas été émis ici ; il n'est pas imprimé.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certificates.py" line="78" />
            <source>Certificate {number} is not printed: its record was not written by site {site}, whose number it carries.</source>
            <translation>Le certificat {number} n'est pas imprimé : son enregistrement n'a pas été écrit par le site {site}, dont il porte le numéro.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certificates.py" line="81" />
            <source>Certificate {number} is not printed: its seal does not verify with the key of site {site} enrolled here.</source>
            <translation>Le certificat {number} n'est pas imprimé : son sceau ne se vérifie pas avec la clé du site {site} enregistrée ici.</translation>
        </message>
        <message>
            <source>Certificate {number} is revoked; a revoked certificate is never printed.</source>
            <translation type="vanished">Le certificat {number} est révoqué ; un certificat révoqué n'est jamais imprimé.</translation>
        </message>
        <message>
            <source>Certificate {number} was superseded by a later decision; print the current certificate instead.</source>
            <translation type="vanished">Le certificat {number} a été remplacé par une décision ultérieure ; imprimez plutôt le certificat en vigueur.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/deviations.py" line="89" />
            <location filename="../../desktop_app/services/deviations.py" line="214" />
            <source>Characteristic {characteristic} is not a characteristic of this part revision.</source>
            <translation>La caractéristique {characteristic} n’est pas une caractéristique de cette révision de pièce.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="214" />
            <source>Characteristic {number} ({description}) has no dimensional result in the linked evidence.</source>
            <translation>La caractéristique {number} ({description}) n'a pas de résultat dimensionnel dans les preuves liées.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="72" />
            <location filename="../../desktop_app/services/evidence.py" line="109" />
            <location filename="../../desktop_app/services/evidence.py" line="135" />
            <source>Characteristic {number} already exists on this part.</source>
            <translation>La caractéristique {number} existe déjà sur cette pièce.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="322" />
            <source>Characteristic {number} appears twice in the report.</source>
            <translation>La caractéristique {number} apparaît deux fois dans le rapport.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="161" />
            <source>Characteristic {number} counts defects per part on this part, but the file counts nonconforming parts (K0021).</source>
            <translation>La caractéristique {number} compte les défauts par pièce sur cette pièce, mais le fichier compte des pièces non conformes (K0021).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="93" />
            <location filename="../../desktop_app/services/evidence.py" line="414" />
            <source>Characteristic {number} has no readings.</source>
            <translation>La caractéristique {number} n'a aucune mesure.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence_import.py" line="327" />
            <source>Characteristic {number} in the file is not a characteristic of this part.</source>
            <translation>La caractéristique {number} du fichier n'est pas une caractéristique de cette pièce.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="77" />
            <source>Characteristic {number} is described twice in the file (K2001).</source>
            <translation>La caractéristique {number} est décrite deux fois dans le fichier (K2001).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="169" />
            <source>Characteristic {number} is judged by attribute on this part; the file gives {value}, not 0 (OK) or a number of nonconformities.</source>
            <translation>La caractéristique {number} est jugée par attribut sur cette pièce ; le fichier donne {value}, et non 0 (OK) ou un nombre de non-conformités.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="153" />
            <source>Characteristic {number} is measured on this part, but the file judges it as an attribute (K2004 1).</source>
            <translation>La caractéristique {number} est mesurée sur cette pièce, mais le fichier la juge par attribut (K2004 1).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa.py" line="240" />
            <source>Characteristic {number} is measured with gauge {other}, not {gauge}.</source>
            <translation>La caractéristique {number} est mesurée avec l'instrument {other}, pas {gauge}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="169" />
            <source>Characteristic {number} needs a description.</source>
            <translation>La caractéristique {number} a besoin d'une description.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="410" />
            <source>Characteristic {number}, reading {row}: '{value}' is not a number.</source>
            <translation>Caractéristique {number}, mesure {row} : « {value} » n'est pas un nombre.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="85" />
            <source>Characteristic {number}, sample {row}: '{value}' is neither OK nor NG.</source>
            <translation>Caractéristique {number}, échantillon {row} : « {value} » n’est ni OK ni NOK.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="87" />
            <source>Characteristic {number}, sample {row}: '{value}' is not a number of defects (0, 1, 2 …).</source>
            <translation>Caractéristique {number}, échantillon {row} : « {value} » n’est pas un nombre de défauts (0, 1, 2 …).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/tabular.py" line="60" />
            <source>Column {column} does not exist in this sheet.</source>
            <translation>La colonne {column} n'existe pas dans cette feuille.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="455" />
            <source>Column {column} of the header row (row {row}) of {name} has no name; give every column a name.</source>
            <translation>La colonne {column} de la ligne d'en-tête (ligne {row}) de {name} n'a pas de nom ; nommez chaque colonne.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="267" />
            <source>Designations exist in {languages}, not in {code}.</source>
            <translation>Les désignations existent en {languages}, pas en {code}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="221" />
            <source>Deviation number {number} is already taken.</source>
            <translation>Le numéro de dérogation {number} est déjà pris.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="130" />
            <source>Each regulatory rule says the text it comes from (or that it is an assumption).</source>
            <translation>Chaque règle réglementaire indique le texte dont elle vient (ou qu’il s’agit d’une hypothèse).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="163" />
            <source>Element {number} ({name}) has no customer choice: at level 4 the customer says for every element whether to submit or retain it.</source>
            <translation>L’élément {number} ({name}) n’a pas de choix du client : au niveau 4, le client dit pour chaque élément s’il faut le soumettre ou le conserver.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="189" />
            <source>Element {number} ({name}) is required at this level: link evidence or mark it not applicable with a reason.</source>
            <translation>L'élément {number} ({name}) est requis à ce niveau : liez une preuve ou marquez-le non applicable avec un motif.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="182" />
            <source>Element {number} ({name}) needs linked evidence at this level: the results measured on the samples cannot be marked not applicable.</source>
            <translation>L’élément {number} ({name}) exige des preuves liées à ce niveau : les résultats mesurés sur les échantillons ne peuvent pas être déclarés sans objet.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="372" />
            <source>Every operator read every part the same in every trial: the gauge's resolution is too coarse for a gauge R&amp;R to see its repeatability.</source>
            <translation>Chaque opérateur a lu chaque pièce à l'identique à chaque essai : la résolution de l'instrument est trop grossière pour qu'une étude R&amp;R voie sa répétabilité.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="198" />
            <source>Evidence {evidence} linked to element {number} does not exist here.</source>
            <translation>La preuve {evidence} liée à l'élément {number} n'existe pas ici.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="202" />
            <source>Evidence “{evidence}” linked to element {number} belongs to another part revision.</source>
            <translation>La preuve « {evidence} » liée à l'élément {number} appartient à une autre révision de pièce.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/gauges.py" line="46" />
            <source>Gauge {code} is already in the register.</source>
            <translation>L'instrument {code} est déjà dans le registre.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="188" />
            <location filename="../../desktop_app/services/evidence.py" line="336" />
            <source>Gauge {code} is not in the gauges register.</source>
            <translation>L'instrument {code} n'est pas dans le registre des instruments.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/gauges.py" line="78" />
            <source>Gauge {code} needs a type (e.g. micrometer).</source>
            <translation>L'instrument {code} a besoin d'un type (p. ex. micromètre).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="258" />
            <source>Gauge {gauge} (characteristics {numbers}) has no measurement system analysis study recorded here: check that the evidence linked to element 8 covers it.</source>
            <translation>L'instrument {gauge} (caractéristiques {numbers}) n'a pas d'étude MSA enregistrée ici : vérifiez que les preuves liées à l'élément 8 la couvrent.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="255" />
            <source>Gauge {gauge} (characteristics {numbers}) has no measurement system analysis study: record a gauge R&amp;R or an attribute agreement study of it.</source>
            <translation>L'instrument {gauge} (caractéristiques {numbers}) n'a pas d'étude d'analyse du système de mesure : enregistrez une étude R&amp;R ou une étude de concordance par attributs.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="274" />
            <source>Gauge {gauge} (characteristics {numbers}): its attribute agreement study of {date} is only marginally acceptable (effectiveness {effectiveness} %, miss rate {miss} %, false alarm rate {false_alarm} %, kappa {kappa}): acceptable only with the customer's agreement.</source>
            <translation>Instrument {gauge} (caractéristiques {numbers}) : son étude de concordance par attributs du {date} n'est que marginalement acceptable (efficacité {effectiveness} %, non-détection {miss} %, fausse alarme {false_alarm} %, kappa {kappa}) : acceptable seulement avec l’accord du client.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="269" />
            <source>Gauge {gauge} (characteristics {numbers}): its attribute agreement study of {date} is unacceptable (effectiveness {effectiveness} %, miss rate {miss} %, false alarm rate {false_alarm} %, kappa {kappa}); improve the check and study it again.</source>
            <translation>Instrument {gauge} (caractéristiques {numbers}) : son étude de concordance par attributs du {date} est inacceptable (efficacité {effectiveness} %, non-détection {miss} %, fausse alarme {false_alarm} %, kappa {kappa}) ; améliorez le contrôle et refaites l'étude.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="265" />
            <source>Gauge {gauge} (characteristics {numbers}): its gauge R&amp;R of {date} has %GRR {grr} % of the total variation and {grr_tolerance} % of the tolerance, between 10 and 30 %: acceptable only with the customer's agreement.</source>
            <translation>Instrument {gauge} (caractéristiques {numbers}) : son étude R&amp;R du {date} a un %GRR de {grr} % de la variation totale et de {grr_tolerance} % de la tolérance, entre 10 et 30 % : acceptable seulement avec l’accord du client.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="261" />
            <source>Gauge {gauge} (characteristics {numbers}): its gauge R&amp;R of {date} is unacceptable (%GRR {grr} % of the total variation, {grr_tolerance} % of the tolerance, ndc {ndc}); improve the measurement system and study it again.</source>
            <translation>Instrument {gauge} (caractéristiques {numbers}) : son étude R&amp;R du {date} est inacceptable (%GRR {grr} % de la variation totale, {grr_tolerance} % de la tolérance, ndc {ndc}) ; améliorez le système de mesure et refaites l'étude.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="243" />
            <source>Gauge {gauge} was out of calibration on {date} when “{evidence}” was measured; an impact assessment is needed.</source>
            <translation>L'instrument {gauge} était hors étalonnage le {date} lorsque « {evidence} » a été mesuré ; une analyse d'impact est nécessaire.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/sync.py" line="269" />
            <source>Give a field choice as NAME=REV_ID, not {value}.</source>
            <translation>Indiquez un choix de champ sous la forme NOM=REV_ID, pas {value}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="481" />
            <source>K0021/{index} counts {bad} nonconforming parts in a subgroup of {size} (K0020).</source>
            <translation>K0021/{index} compte {bad} pièces non conformes dans un sous-groupe de {size} (K0020).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="446" />
            <source>K0100 says the file has {declared} characteristics, but it describes {found}.</source>
            <translation>K0100 annonce {declared} caractéristiques dans le fichier, mais celui-ci en décrit {found}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="83" />
            <source>Line {line}: {message}</source>
            <translation>Ligne {line} : {message}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/certification.py" line="97" />
            <source>Name a certificate PDF, or give the QR text with --payload.</source>
            <translation>Indiquez un PDF de certificat, ou donnez le texte du QR avec --payload.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/core.py" line="123" />
            <source>Name one backup file, or --latest for the newest.</source>
            <translation>Indiquez un fichier de sauvegarde, ou --latest pour la plus récente.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/retention.py" line="136" />
            <source>Name the customer whose retention period this is.</source>
            <translation>Nommez le client dont c’est la durée de conservation.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/laboratories.py" line="146" />
            <source>Name the laboratory.</source>
            <translation>Nommez le laboratoire.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/recovery.py" line="52" />
            <source>No backup in {backups} verifies; nothing was restored.</source>
            <translation>Aucune sauvegarde de {backups} ne passe la vérification ; rien n'a été restauré.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence_import.py" line="195" />
            <source>No column holds the characteristic {field}; map one by hand.</source>
            <translation>Aucune colonne ne contient la caractéristique {field} ; associez-en une à la main.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence_import.py" line="284" />
            <source>No column is a characteristic of this part: name the columns after the characteristic numbers, or give a characteristic column and a value column.</source>
            <translation>Aucune colonne n'est une caractéristique de cette pièce : nommez les colonnes d'après les numéros de caractéristique, ou indiquez une colonne de caractéristique et une colonne de valeur.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_dto.py" line="22" />
            <source>No column of {name} holds the {label}; map one by hand.</source>
            <translation>Aucune colonne de {name} ne contient : {label} ; associez-en une à la main.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="244" />
            <source>No new password: set {env} or run in a terminal.</source>
            <translation>Pas de nouveau mot de passe : définissez {env} ou lancez dans un terminal.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="228" />
            <source>No password: set PARTDESK_PASSWORD or run in a terminal.</source>
            <translation>Pas de mot de passe : définissez PARTDESK_PASSWORD ou lancez dans un terminal.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/header_detect.py" line="108" />
            <source>No row at the top of sheet {sheet} of {name} names the columns expected ({fields}); choose the header row.</source>
            <translation>Aucune ligne en haut de la feuille {sheet} de {name} ne nomme les colonnes attendues ({fields}) ; choisissez la ligne d’en-tête.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/header_detect.py" line="110" />
            <source>No row at the top of {name} names the columns expected ({fields}); choose the header row.</source>
            <translation>Aucune ligne en haut de {name} ne nomme les colonnes attendues ({fields}) ; choisissez la ligne d’en-tête.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/tabular.py" line="65" />
            <source>One column is mapped to two fields; map each column once.</source>
            <translation>Une colonne est associée à deux champs ; associez chaque colonne une seule fois.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="97" />
            <source>Only a 3.2 certificate carries a co-signature by the purchaser's representative.</source>
            <translation>Seul un certificat 3.2 porte une cosignature du représentant de l’acheteur.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="166" />
            <source>Operator {operator} read part {part} twice as trial {trial}.</source>
            <translation>L'opérateur {operator} a lu la pièce {part} deux fois comme essai {trial}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="159" />
            <source>Operator {operator}, part {part}: trials are numbered from 1 to {limit}.</source>
            <translation>Opérateur {operator}, pièce {part} : les essais sont numérotés de 1 à {limit}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="378" />
            <source>Package {sequence} of site {site} shows its audit log up to entry {seq}, but its earlier package {other} showed it up to entry {other_seq}: its log was cut.</source>
            <translation>Le paquet {sequence} du site {site} présente son journal d'audit jusqu'à l'entrée {seq}, alors que son paquet antérieur {other} le présentait jusqu'à l'entrée {other_seq} : son journal a été tronqué.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts.py" line="72" />
            <source>Part {number} revision {revision} is already registered.</source>
            <translation>La pièce {number} révision {revision} est déjà enregistrée.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="364" />
            <source>Part {number} revision {revision} is released and locked against edits; create a new drawing revision instead.</source>
            <translation>La pièce {number} révision {revision} est diffusée et verrouillée ; créez plutôt une nouvelle révision de plan.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/integration.py" line="269" />
            <source>Part {part} belongs to another vehicle model; it cannot realise the set {set} of {model}.</source>
            <translation>La pièce {part} appartient à un autre modèle de véhicule ; elle ne peut pas réaliser l'ensemble {set} de {model}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="142" />
            <source>Part {part} has no reference decision (OK or NG): an attribute agreement study compares every judgement with it.</source>
            <translation>La pièce {part} n'a pas de décision de référence (OK ou NG) : une étude de concordance par attributs compare chaque jugement avec elle.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/integration.py" line="278" />
            <source>Part {part} is already linked to the set {set}.</source>
            <translation>La pièce {part} est déjà liée à l'ensemble {set}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/roadmap.py" line="126" />
            <source>Part {part} of the component {name} belongs to another vehicle model than {model}.</source>
            <translation>La pièce {part} du composant {name} appartient à un autre modèle de véhicule que {model}.</translation>
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
            <translation>PartDesk est déjà ouvert sur le dossier de données {folder} ; fermez-le d'abord.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import.py" line="154" />
            <source>Parts were changed since {name} was checked; it is checked again.</source>
            <translation>Des pièces ont été modifiées depuis la vérification de {name} ; il est vérifié à nouveau.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/conflicts.py" line="133" />
            <source>Record {key} has no competing versions to merge.</source>
            <translation>L'enregistrement {key} n'a pas de versions concurrentes à fusionner.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/revisions.py" line="706" />
            <source>Record {record_id} appears with two different types.</source>
            <translation>L'enregistrement {record_id} apparaît avec deux types différents.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="303" />
            <source>Report {number} was already corrected by {newer}; correct {newer} instead.</source>
            <translation>Le rapport {number} a déjà été corrigé par {newer} ; corrigez plutôt {newer}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/laboratories.py" line="184" />
            <source>Report {report} already has its EN 10204 inspection document; a correction is a new report that supersedes it.</source>
            <translation>Le rapport {report} a déjà son document de contrôle EN 10204 ; une correction est un nouveau rapport qui le remplace.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="180" />
            <source>Report {report} applies {standard}, which is outside the ISO/IEC 17025 accreditation scope of {laboratory}.</source>
            <translation>Le rapport {report} applique {standard}, hors de la portée d’accréditation ISO/IEC 17025 de {laboratory}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="173" />
            <source>Report {report} was tested on {tested} by {laboratory}, whose ISO/IEC 17025 accreditation {accreditation} expired on {expired}.</source>
            <translation>Le rapport {report} a été essayé le {tested} par {laboratory}, dont l’accréditation ISO/IEC 17025 {accreditation} a expiré le {expired}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="109" />
            <source>Revision on line {line} of the package is refused: {detail}</source>
            <translation>La révision de la ligne {line} du paquet est refusée : {detail}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="154" />
            <source>Revision {rev_id} ({kind} {record}) claims to come from site {site}, but no signature of that site covers it.</source>
            <translation>La révision {rev_id} ({kind} {record}) prétend provenir du site {site}, mais aucune signature de ce site ne la couvre.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/revisions.py" line="258" />
            <source>Revision {rev_id} does not match its content; it was altered.</source>
            <translation>La révision {rev_id} ne correspond pas à son contenu ; elle a été altérée.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="172" />
            <source>Revision {rev_id} of site {site} names {person}, a person of another site, as its author or signer; the package was refused.</source>
            <translation>La révision {rev_id} du site {site} désigne {person}, une personne d'un autre site, comme auteur ou signataire ; le paquet a été refusé.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="114" />
            <source>Revision {rev_id} refers to file {sha} that the package does not carry.</source>
            <translation>La révision {rev_id} fait référence au fichier {sha} que le paquet ne contient pas.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="339" />
            <source>Row {row} of sheet {sheet} of {name} is empty; choose the row that names the columns.</source>
            <translation>La ligne {row} de la feuille {sheet} de {name} est vide ; choisissez la ligne qui nomme les colonnes.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="450" />
            <source>Row {row} of {name} holds data, not column names: choose the row that names the columns.</source>
            <translation>La ligne {row} de {name} contient des données, pas des noms de colonnes : choisissez la ligne qui nomme les colonnes.</translation>
        </message>
        <message>
            <source>Row {row} of {name} holds data, not column names: the first row must be a header row.</source>
            <translation type="vanished">La ligne {row} de {name} contient des données, pas des noms de colonnes : la première ligne doit être une ligne d'en-tête.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="341" />
            <source>Row {row} of {name} is empty; choose the row that names the columns.</source>
            <translation>La ligne {row} de {name} est vide ; choisissez la ligne qui nomme les colonnes.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="552" />
            <source>Row {row} of {name} is not valid CSV ({detail}).</source>
            <translation>La ligne {row} de {name} n'est pas du CSV valide ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa_sheets.py" line="116" />
            <source>Row {row}: '{value}' is neither OK nor NG.</source>
            <translation>Ligne {row} : « {value} » n'est ni OK ni NG.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="127" />
            <source>Row {row}: '{value}' is not a date (YYYY-MM-DD).</source>
            <translation>Ligne {row} : « {value} » n'est pas une date (AAAA-MM-JJ).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence_import.py" line="350" />
            <source>Row {row}: '{value}' is not a judgement of characteristic {number} (OK / NG, or a number of defects).</source>
            <translation>Ligne {row} : « {value} » n’est pas un jugement de la caractéristique {number} (OK / NOK, ou un nombre de défauts).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="111" />
            <source>Row {row}: '{value}' is not a kind of set; use set, subset or accessory.</source>
            <translation>Ligne {row} : « {value} » n'est pas un type d'ensemble ; utilisez set, subset ou accessory.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="146" />
            <source>Row {row}: a set needs a code.</source>
            <translation>Ligne {row} : un ensemble a besoin d'un code.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence_import.py" line="206" />
            <source>Row {row}: characteristic {number} already exists on this part.</source>
            <translation>Ligne {row} : la caractéristique {number} existe déjà sur cette pièce.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import.py" line="268" />
            <source>Row {row}: part {number} revision {revision} appears twice in the file (also row {other}).</source>
            <translation>Ligne {row} : la pièce {number} révision {revision} apparaît deux fois dans le fichier (aussi ligne {other}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts.py" line="75" />
            <source>Row {row}: part {number} revision {revision} is already registered.</source>
            <translation>Ligne {row} : la pièce {number} révision {revision} est déjà enregistrée.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="287" />
            <source>Row {row}: part {number} revision {revision} is released and locked; give the new values a new drawing revision.</source>
            <translation>Ligne {row} : la pièce {number} révision {revision} est diffusée et verrouillée ; donnez aux nouvelles valeurs une nouvelle révision de plan.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="282" />
            <source>Row {row}: part {number} revision {revision} was edited at two sites; merge it first.</source>
            <translation>Ligne {row} : la pièce {number} révision {revision} a été modifiée sur deux sites ; fusionnez-la d'abord.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa_sheets.py" line="128" />
            <source>Row {row}: part {part} has the reference {value} here and {other} above; a part has one reference decision.</source>
            <translation>Ligne {row} : la pièce {part} a la référence {value} ici et {other} plus haut ; une pièce a une seule décision de référence.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="88" />
            <source>Row {row}: the rate '{value}' is not a number.</source>
            <translation>Ligne {row} : le taux « {value} » n'est pas un nombre.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="100" />
            <source>Row {row}: the rate {value} is above 100 %.</source>
            <translation>Ligne {row} : le taux {value} dépasse 100 %.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="93" />
            <source>Row {row}: the rate {value} is negative; a rate is between 0 and 100 %.</source>
            <translation>Ligne {row} : le taux {value} est négatif ; un taux est compris entre 0 et 100 %.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa_sheets.py" line="124" />
            <source>Row {row}: the reference '{value}' is neither OK nor NG.</source>
            <translation>Ligne {row} : la référence « {value} » n'est ni OK ni NG.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="150" />
            <source>Row {row}: the set {code} needs a name.</source>
            <translation>Ligne {row} : l'ensemble {code} a besoin d'un nom.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa_sheets.py" line="61" />
            <source>Row {row}: the trial '{value}' is not a whole number from 1 to 100.</source>
            <translation>Ligne {row} : l'essai « {value} » n'est pas un nombre entier de 1 à 100.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="220" />
            <location filename="../../desktop_app/domain/evidence.py" line="224" />
            <location filename="../../desktop_app/services/evidence_import.py" line="164" />
            <source>Row {row}: {message}</source>
            <translation>Ligne {row} : {message}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import.py" line="144" />
            <location filename="../../desktop_app/services/parts_import.py" line="251" />
            <location filename="../../desktop_app/services/parts_import_rows.py" line="180" />
            <location filename="../../desktop_app/services/parts_import_rows.py" line="294" />
            <source>Row {row}: {reason}</source>
            <translation>Ligne {row} : {reason}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="154" />
            <source>Row {row}: {what} '{value}' is not a number.</source>
            <translation>Ligne {row} : {what} « {value} » n'est pas un nombre.</translation>
        </message>
        <message>
            <source>Say who acts: --user NAME before the command, or PARTDESK_USER.</source>
            <translation type="vanished">Indiquez qui agit : --user NOM avant la commande, ou PARTDESK_USER.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="149" />
            <source>Say why the characteristic is removed.</source>
            <translation>Indiquez pourquoi la caractéristique est supprimée.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/attachments.py" line="149" />
            <source>Say why the file is withdrawn.</source>
            <translation>Indiquez pourquoi le fichier est retiré.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="218" />
            <source>Sign in first: --user NAME before the command (or PARTDESK_USER), and the password in PARTDESK_PASSWORD or at the prompt.</source>
            <translation>Connectez-vous d'abord : --user NAME avant la commande (ou PARTDESK_USER), et le mot de passe dans PARTDESK_PASSWORD ou à l'invite.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/sync.py" line="151" />
            <source>Site {code} is not known here; enrol its key first, or export everything.</source>
            <translation>Le site {code} n'est pas connu ici ; enregistrez d'abord sa clé, ou exportez tout.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="178" />
            <source>Site {site} claims to have created {kind} {record}, which already exists; the package was refused.</source>
            <translation>Le site {site} prétend avoir créé {kind} {record}, qui existe déjà ; le paquet a été refusé.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="160" />
            <source>Site {site} may not write {kind} records here ({kind} {record}); the package was refused.</source>
            <translation>Le site {site} n'est pas autorisé à écrire ici des enregistrements {kind} ({kind} {record}) ; le paquet a été refusé.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="370" />
            <source>Site {site} sent a head of this site's audit log that cannot be read.</source>
            <translation>Le site {site} a envoyé une tête du journal d'audit de ce site qui ne peut pas être lue.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="383" />
            <source>Site {site} shows entry {seq} of its audit log with another hash than a package received before: its log was rewritten.</source>
            <translation>Le site {site} présente l'entrée {seq} de son journal d'audit avec une autre empreinte qu'un paquet reçu auparavant : son journal a été réécrit.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="373" />
            <source>Site {site} shows its audit log up to entry {seq}, but a package received before showed it up to entry {earlier}: its log was cut.</source>
            <translation>Le site {site} présente son journal d'audit jusqu'à l'entrée {seq}, alors qu'un paquet reçu auparavant le présentait jusqu'à l'entrée {earlier} : son journal a été tronqué.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="166" />
            <source>Site {site} tried to change {kind} {record}, which only its own site may change; the package was refused.</source>
            <translation>Le site {site} a tenté de modifier {kind} {record}, que seul son propre site peut modifier ; le paquet a été refusé.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/base.py" line="61" />
            <source>Something went wrong ({kind}); nothing was changed.</source>
            <translation>Un problème est survenu ({kind}) ; rien n'a été modifié.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="238" />
            <source>Special characteristic {number} ({cls}) has Ppk {ppk}, below 1.33; improve the process or reference a deviation.</source>
            <translation>La caractéristique spéciale {number} ({cls}) a un Ppk de {ppk}, inférieur à 1,33 ; améliorez le procédé ou référencez une dérogation.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="311" />
            <source>Special characteristic {number} ({cls}) has Ppk {ppk}, between 1.33 and 1.67: acceptable only with the customer's agreement.</source>
            <translation>La caractéristique spéciale {number} ({cls}) a un Ppk de {ppk}, entre 1,33 et 1,67 : acceptable seulement avec l’accord du client.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="322" />
            <source>Special characteristic {number} ({cls}) has a one-sided limit: its acceptance criteria are agreed with the customer.</source>
            <translation>La caractéristique spéciale {number} ({cls}) a une limite unilatérale : ses critères d’acceptation sont convenus avec le client.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="233" />
            <source>Special characteristic {number} ({cls}) has no Ppk; record a capability study or reference a deviation.</source>
            <translation>La caractéristique spéciale {number} ({cls}) n'a pas de Ppk ; enregistrez une étude de capabilité ou référencez une dérogation.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="121" />
            <source>Special characteristic {number} ({cls}) relies on deviation {deviation}, which has expired.</source>
            <translation>La caractéristique spéciale {number} ({cls}) s’appuie sur la dérogation {deviation}, qui a expiré.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="130" />
            <source>Special characteristic {number} ({cls}) relies on deviation {deviation}, which is not valid.</source>
            <translation>La caractéristique spéciale {number} ({cls}) s’appuie sur la dérogation {deviation}, qui n’est pas valable.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="115" />
            <source>Special characteristic {number} ({cls}) relies on deviation {deviation}, which the customer has not approved yet.</source>
            <translation>La caractéristique spéciale {number} ({cls}) s’appuie sur la dérogation {deviation}, que le client n’a pas encore approuvée.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="118" />
            <source>Special characteristic {number} ({cls}) relies on deviation {deviation}, which the customer rejected.</source>
            <translation>La caractéristique spéciale {number} ({cls}) s’appuie sur la dérogation {deviation}, que le client a refusée.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="127" />
            <source>Special characteristic {number} ({cls}) relies on deviation {deviation}, which was changed after the customer approved it.</source>
            <translation>La caractéristique spéciale {number} ({cls}) s’appuie sur la dérogation {deviation}, modifiée après son approbation par le client.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="124" />
            <source>Special characteristic {number} ({cls}) relies on deviation {deviation}, whose quantity is used up.</source>
            <translation>La caractéristique spéciale {number} ({cls}) s’appuie sur la dérogation {deviation}, dont la quantité est épuisée.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="314" />
            <source>Special characteristic {number} ({cls}): its Ppk comes from {n} readings only and is indicative below 30; a preliminary study wants 100 readings from 25 subgroups, or the customer's agreement.</source>
            <translation>Caractéristique spéciale {number} ({cls}) : son Ppk ne repose que sur {n} relevés et reste indicatif sous 30 ; une étude préliminaire demande 100 relevés en 25 sous-groupes, ou l’accord du client.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="318" />
            <source>Special characteristic {number} ({cls}): its capability study has {n} readings in {subgroups} subgroups, fewer than the 100 readings from 25 subgroups of a preliminary study; the customer must agree.</source>
            <translation>Caractéristique spéciale {number} ({cls}) : son étude de capabilité compte {n} relevés en {subgroups} sous-groupes, moins que les 100 relevés en 25 sous-groupes d’une étude préliminaire ; le client doit l’accepter.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="325" />
            <source>Special characteristic {number} ({cls}): its readings do not look normally distributed (Anderson-Darling A² {a2}); its acceptance criteria are agreed with the customer.</source>
            <translation>Caractéristique spéciale {number} ({cls}) : ses relevés ne semblent pas suivre une loi normale (Anderson-Darling A² {a2}) ; ses critères d’acceptation sont convenus avec le client.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification_checks.py" line="329" />
            <source>Special characteristic {number} ({cls}): the process is not stable (points beyond the control limits of the {chart} chart: {count}); remove the special causes or agree with the customer.</source>
            <translation>Caractéristique spéciale {number} ({cls}) : le procédé n’est pas stable (points hors des limites de contrôle de la carte {chart} : {count}) ; éliminez les causes spéciales ou convenez-en avec le client.</translation>
        </message>
        <message>
            <source>Special characteristic {number} ({cls}): the process is not stable ({count} point(s) beyond the control limits of the {chart} chart); remove the special causes or agree with the customer.</source>
            <translation type="vanished">Caractéristique spéciale {number} ({cls}) : le procédé n’est pas stable ({count} point(s) hors des limites de contrôle de la carte {chart}) ; éliminez les causes spéciales ou convenez-en avec le client.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="116" />
            <source>The APQP phase of {name} is 1 to 5.</source>
            <translation>La phase APQP de {name} va de 1 à 5.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="64" />
            <source>The account {user} is disabled; ask an administrator.</source>
            <translation>Le compte {user} est désactivé ; adressez-vous à un administrateur.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/backup.py" line="86" />
            <location filename="../../desktop_app/storage/database.py" line="221" />
            <source>The backup copy failed its integrity check ({detail}).</source>
            <translation>La copie de sauvegarde a échoué à la vérification d'intégrité ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="305" />
            <source>The calibration due date {due} is before the calibration date {done}.</source>
            <translation>La date d'échéance d'étalonnage {due} précède la date d'étalonnage {done}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="56" />
            <source>The characteristic type '{value}' is not one of: variable, attribute (OK/NG), defects.</source>
            <translation>Le type de caractéristique « {value} » n’est pas l’un de : variable, attribut (OK/NOK), défauts.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="67" />
            <source>The data folder {folder} already holds a site of its own; give this PC's plant folder with --data-dir (a new, empty folder).</source>
            <translation>Le dossier de données {folder} contient déjà un site à lui ; indiquez le dossier d'usine de ce PC avec --data-dir (un dossier neuf et vide).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/site.py" line="72" />
            <source>The data folder {folder} already holds a site's key; a new site is set up only in a new, empty folder.</source>
            <translation>Le dossier de données {folder} contient déjà la clé d'un site ; un nouveau site ne se configure que dans un dossier neuf et vide.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/paths.py" line="57" />
            <source>The data folder {folder} cannot be written ({detail}); choose another.</source>
            <translation>Le dossier de données {folder} n'est pas accessible en écriture ({detail}) ; choisissez-en un autre.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="36" />
            <source>The data folder {folder} holds a site's key, files or backups but no database, and nothing was changed in it; {remedy}.</source>
            <translation>Le dossier de données {folder} contient la clé d'un site, des fichiers ou des sauvegardes, mais pas de base de données ; rien n'y a été modifié ; {remedy}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/folder_warnings.py" line="29" />
            <source>The data folder {folder} is inside a cloud-synced folder ({detail}): the sync program copies the database while it is written and can bring back an old or half-written copy. Move the data folder out of the synced folder.</source>
            <translation>Le dossier de données {folder} se trouve dans un dossier synchronisé dans le nuage ({detail}) : le programme de synchronisation copie la base pendant qu’elle est écrite et peut ramener une copie ancienne ou à moitié écrite. Sortez le dossier de données du dossier synchronisé.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="187" />
            <source>The data folder {folder} is not set up; run 'partdesk init' first.</source>
            <translation>Le dossier de données {folder} n'est pas configuré ; lancez d'abord « partdesk init ».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/folder_warnings.py" line="23" />
            <source>The data folder {folder} is on a network drive ({detail}): the database cannot be locked safely over the network and a dropped connection can damage it. Keep the data folder on this computer's own disk; PCs share a plant's data through PostgreSQL.</source>
            <translation>Le dossier de données {folder} se trouve sur un lecteur réseau ({detail}) : la base ne peut pas être verrouillée sûrement à travers le réseau et une coupure de connexion peut l’endommager. Gardez le dossier de données sur le disque de cet ordinateur ; les postes d’une usine partagent leurs données par PostgreSQL.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/folder_warnings.py" line="17" />
            <source>The data folder {folder} is on a removable drive ({detail}): if the drive is pulled out while PartDesk writes, the last work can be lost or the database damaged. Keep the data folder on this computer's own disk and carry sync packages on the drive instead.</source>
            <translation>Le dossier de données {folder} se trouve sur un lecteur amovible ({detail}) : si le lecteur est retiré pendant que PartDesk écrit, le dernier travail peut être perdu ou la base endommagée. Gardez le dossier de données sur le disque de cet ordinateur et transportez plutôt les paquets de synchronisation sur le lecteur.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="51" />
            <source>The database file {path} is damaged or is not a PartDesk database ({detail}), and nothing was changed in it; {remedy}.</source>
            <translation>Le fichier de base de données {path} est endommagé ou n'est pas une base PartDesk ({detail}) ; rien n'y a été modifié ; {remedy}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/database.py" line="29" />
            <location filename="../../desktop_app/storage/site_probe.py" line="19" />
            <source>The database file {path} is damaged or is not a PartDesk database ({detail}).</source>
            <translation>Le fichier de base de données {path} est endommagé ou n'est pas une base PartDesk ({detail}).</translation>
        </message>
        <message>
            <source>The database is busy in another program; try again in a moment.</source>
            <translation type="vanished">La base de données est occupée par un autre programme ; réessayez dans un instant.</translation>
        </message>
        <message>
            <source>The database is read-only; nothing was written.</source>
            <translation type="vanished">La base de données est en lecture seule ; rien n'a été écrit.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="141" />
            <source>The database server of {path} cannot be reached ({detail}), and nothing was changed; check that this PC is on the plant's network and the server is running, then try again.</source>
            <translation>Le serveur de base de données de {path} est injoignable ({detail}) et rien n'a été modifié ; vérifiez que ce PC est sur le réseau de l'usine et que le serveur tourne, puis réessayez.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="146" />
            <source>The database server refused {path} ({detail}); check the user name, password and database name of the address with plant IT.</source>
            <translation>Le serveur de base de données a refusé {path} ({detail}) ; vérifiez avec l'informatique de l'usine le nom d'utilisateur, le mot de passe et le nom de la base dans l'adresse.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="46" />
            <source>The database {path} holds no site although its folder holds a site's key, files or backups, and nothing was changed in it; {remedy}.</source>
            <translation>La base de données {path} ne contient aucun site alors que son dossier contient la clé d'un site, des fichiers ou des sauvegardes ; rien n'y a été modifié ; {remedy}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="40" />
            <source>The database {path} is busy in another program, and nothing was changed; try again in a moment.</source>
            <translation>La base de données {path} est occupée par un autre programme ; rien n'a été modifié ; réessayez dans un instant.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="41" />
            <source>The database {path} is empty although its folder holds a site's key, files or backups, and nothing was changed in it; {remedy}.</source>
            <translation>La base de données {path} est vide alors que son dossier contient la clé d'un site, des fichiers ou des sauvegardes ; rien n'y a été modifié ; {remedy}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="72" />
            <source>The database {where} already holds the plant {code}; on this PC run 'partdesk plant join --database-url URL --code CODE' with a join code from an administrator.</source>
            <translation>La base {where} contient déjà l'usine {code} ; sur ce PC, lancez 'partdesk plant join --database-url URL --code CODE' avec un code d'adhésion donné par un administrateur.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="77" />
            <source>The database {where} holds no plant yet; set it up on the first PC with 'partdesk plant init --database-url URL'.</source>
            <translation>La base {where} ne contient encore aucune usine ; créez-la sur le premier PC avec 'partdesk plant init --database-url URL'.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/demo/__init__.py" line="43" />
            <source>The demo needs an empty data folder; this one is already set up.</source>
            <translation>La démonstration a besoin d'un dossier de données vide ; celui-ci est déjà configuré.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/base.py" line="66" />
            <source>The details are in the log: {log}</source>
            <translation>Les détails sont dans le journal : {log}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/diagnostics.py" line="274" />
            <source>The diagnostics file {path} cannot be written ({detail}).</source>
            <translation>Le fichier de diagnostic {path} ne peut pas être écrit ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="25" />
            <source>The disk is full: {path} could not be written, and nothing was changed; free some space and try again.</source>
            <translation>Le disque est plein : {path} n'a pas pu être écrit ; rien n'a été modifié ; libérez de l'espace et réessayez.</translation>
        </message>
        <message>
            <source>The disk is full; nothing was written.</source>
            <translation type="vanished">Le disque est plein ; rien n'a été écrit.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="45" />
            <source>The disk reported an input/output error on {path}, and nothing was changed; check the drive (it may be failing or disconnected) and try again.</source>
            <translation>Le disque a signalé une erreur d'entrée/sortie sur {path} ; rien n'a été modifié ; vérifiez le lecteur (il est peut-être défaillant ou déconnecté) et réessayez.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="261" />
            <source>The drawing revision “{value}” may use letters, digits, . and - only (at most 10).</source>
            <translation>La révision de plan « {value} » ne peut contenir que des lettres, des chiffres, . et - (10 au plus).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/retention.py" line="162" />
            <source>The end of production is a day that has come; record it when production has ended.</source>
            <translation>La fin de production est un jour déjà venu ; enregistrez-la quand la production a pris fin.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="204" />
            <source>The expiry date of a deviation cannot lie in the past.</source>
            <translation>La date d’expiration d’une dérogation ne peut pas être passée.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="122" />
            <source>The expiry date of an interim approval lies in the future.</source>
            <translation>La date d'expiration d'une approbation provisoire est dans le futur.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa.py" line="325" />
            <source>The figures of this study could not be computed.</source>
            <translation>Les valeurs de cette étude n'ont pas pu être calculées.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/parts.py" line="142" />
            <source>The file has no column {column}.</source>
            <translation>Le fichier n'a pas de colonne {column}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence_import.py" line="331" />
            <source>The file has no readings.</source>
            <translation>Le fichier ne contient aucune mesure.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence_import.py" line="229" />
            <source>The file has no rows to import.</source>
            <translation>Le fichier n'a aucune ligne à importer.</translation>
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
            <translation>Le fichier {name} ne peut pas être lu ({detail}).</translation>
        </message>
        <message>
            <source>The file {name} cannot be written ({detail}).</source>
            <translation type="vanished">Le fichier {name} ne peut pas être écrit ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/attachments.py" line="49" />
            <source>The file {name} changed or disappeared while it was being attached; nothing was stored. Try again once it is complete.</source>
            <translation>Le fichier {name} a changé ou disparu pendant qu'il était joint ; rien n'a été enregistré. Réessayez quand il sera complet.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import.py" line="147" />
            <source>The file {name} changed since it was checked; it is read and checked again.</source>
            <translation>Le fichier {name} a changé depuis sa vérification ; il est relu et vérifié à nouveau.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="191" />
            <location filename="../../desktop_app/files/tables.py" line="157" />
            <source>The file {name} does not exist.</source>
            <translation>Le fichier {name} n'existe pas.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/blobs.py" line="201" />
            <source>The file {name} does not match its hash.</source>
            <translation>Le fichier {name} ne correspond pas à son empreinte.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/reference_lists.py" line="97" />
            <source>The file {name} has no column for {fields}; expected columns: code, name, kind, rate.</source>
            <translation>Le fichier {name} n'a pas de colonne pour {fields} ; colonnes attendues : code, name, kind, rate.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import.py" line="173" />
            <source>The file {name} has no rows to import.</source>
            <translation>Le fichier {name} n'a aucune ligne à importer.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="247" />
            <source>The file {name} is empty.</source>
            <translation>Le fichier {name} est vide.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="174" />
            <source>The file {name} is not an Excel workbook (.xlsx) or a CSV file; it looks like {what}.</source>
            <translation>Le fichier {name} n'est ni un classeur Excel (.xlsx) ni un fichier CSV ; il ressemble à {what}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certificates.py" line="284" />
            <source>The file {path} cannot be read.</source>
            <translation>Le fichier {path} ne peut pas être lu.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/sync_keys.py" line="118" />
            <source>The fingerprint you typed does not match the key in {name}; do not enrol it and check with the other site.</source>
            <translation>L'empreinte saisie ne correspond pas à la clé de {name} ; ne l'enregistrez pas et vérifiez auprès de l'autre site.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="116" />
            <source>The grace period lasts 0 to 60 months, not '{value}'.</source>
            <translation>Le délai supplémentaire dure de 0 à 60 mois, pas « {value} ».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="610" />
            <source>The header row (row {row}) of {name} has merged cells; unmerge them so that every column has its own name.</source>
            <translation>La ligne d'en-tête (ligne {row}) de {name} contient des cellules fusionnées ; séparez-les pour que chaque colonne ait son nom.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="132" />
            <source>The judgement of part {part} by operator {operator} in trial {trial} is '{value}', neither OK nor NG.</source>
            <translation>Le jugement de la pièce {part} par l'opérateur {operator} à l'essai {trial} est « {value} », ni OK ni NG.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/sync_keys.py" line="76" />
            <source>The key file {path} cannot be written ({detail}).</source>
            <translation>Le fichier de clé {path} ne peut pas être écrit ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa.py" line="334" />
            <source>The kind of study '{value}' is not one of: variable (gauge R&amp;R), attribute (OK / NG).</source>
            <translation>Le type d'étude « {value} » n'est pas l'un de : variable (étude R&amp;R), attribut (OK / NG).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="374" />
            <source>The line gives a value of characteristic {index}, which the file does not describe (no K2001/{index} …).</source>
            <translation>La ligne donne une valeur de la caractéristique {index}, que le fichier ne décrit pas (pas de K2001/{index} …).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="365" />
            <source>The line gives values of {found} characteristics, but the file has {count}.</source>
            <translation>La ligne donne des valeurs pour {found} caractéristiques, mais le fichier en a {count}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="271" />
            <source>The line is neither a K-field (such as K2001/1 …) nor a line of values.</source>
            <translation>La ligne n'est ni un champ K (comme K2001/1 …) ni une ligne de valeurs.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="188" />
            <source>The lower limit {lower} must be below the upper limit {upper}.</source>
            <translation>La limite inférieure {lower} doit être inférieure à la limite supérieure {upper}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="20" />
            <source>The operation failed.</source>
            <translation>L'opération a échoué.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="22" />
            <source>The package holds a file with a forbidden name ({member}); it was refused.</source>
            <translation>Le paquet contient un fichier au nom interdit ({member}) ; il a été refusé.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="27" />
            <source>The package holds a link or special file ({member}); it was refused.</source>
            <translation>Le paquet contient un lien ou un fichier spécial ({member}) ; il a été refusé.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="37" />
            <source>The package holds an encrypted or unusually compressed file ({member}).</source>
            <translation>Le paquet contient un fichier chiffré ou compressé de façon inhabituelle ({member}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="184" />
            <source>The package holds an invalid revision of site {site}: {detail}</source>
            <translation>Le paquet contient une révision invalide du site {site} : {detail}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="32" />
            <source>The package holds the file {member} twice; it was refused.</source>
            <translation>Le paquet contient deux fois le fichier {member} ; il a été refusé.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="142" />
            <source>The package holds work signed with the key of site {site} after that key was retired.</source>
            <translation>Le paquet contient des travaux signés avec la clé du site {site} après le retrait de cette clé.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="42" />
            <source>The package holds {count} files, above the limit of {limit}.</source>
            <translation>Le paquet contient {count} fichiers, au-delà de la limite de {limit}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="67" />
            <source>The package holds {member}, which its signed manifest does not list.</source>
            <translation>Le paquet contient {member}, que son manifeste signé ne mentionne pas.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="77" />
            <source>The package is not a PartDesk sync package of a supported format ({detail}).</source>
            <translation>Le paquet n'est pas un paquet de synchronisation PartDesk d'un format pris en charge ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="88" />
            <source>The package is signed by site {site}, whose key is not enrolled here.</source>
            <translation>Le paquet est signé par le site {site}, dont la clé n'est pas enregistrée ici.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="93" />
            <source>The package is signed with the retired key of site {site}; new packages from it are refused.</source>
            <translation>Le paquet est signé avec la clé retirée du site {site} ; ses nouveaux paquets sont refusés.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="63" />
            <source>The package lacks {member}.</source>
            <translation>Il manque {member} dans le paquet.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="119" />
            <source>The package manifest is malformed ({detail}).</source>
            <translation>Le manifeste du paquet est mal formé ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="136" />
            <source>The package relays work signed by site {site}, whose key is not enrolled here; enrol that site first.</source>
            <translation>Le paquet transmet des travaux signés par le site {site}, dont la clé n'est pas enregistrée ici ; enregistrez d'abord ce site.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="99" />
            <source>The package signature does not match its manifest; it was altered or forged.</source>
            <translation>La signature du paquet ne correspond pas à son manifeste ; il a été altéré ou contrefait.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="82" />
            <source>The package was made by a newer PartDesk (data version {version}, this one reads up to {supported}); update PartDesk first.</source>
            <translation>Le paquet a été créé par un PartDesk plus récent (version de données {version}, celui-ci lit jusqu'à {supported}) ; mettez d'abord PartDesk à jour.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="13" />
            <source>The package was refused.</source>
            <translation>Le paquet a été refusé.</translation>
        </message>
        <message>
            <source>The package {path} cannot be written ({detail}).</source>
            <translation type="vanished">Le paquet {path} ne peut pas être écrit ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="256" />
            <source>The part number “{value}” may use letters, digits, spaces and . _ / - only (at most 60).</source>
            <translation>Le numéro de pièce « {value} » ne peut contenir que des lettres, des chiffres, des espaces et . _ / - (60 au plus).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/plant.py" line="51" />
            <source>The plant's site key is missing from the database {where}, although this PC was enrolled; nothing is signed until plant IT restores the database from its backup.</source>
            <translation>La clé de site de l'usine manque dans la base {where}, alors que ce PC y était inscrit ; rien n'est signé tant que l'informatique de l'usine n'a pas restauré la base depuis sa sauvegarde.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="199" />
            <source>The quantity of a deviation is a positive number of parts.</source>
            <translation>La quantité d’une dérogation est un nombre positif de pièces.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="117" />
            <source>The quantity of an interim approval is a positive number of parts.</source>
            <translation>La quantité d'une approbation provisoire est un nombre positif de pièces.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="248" />
            <source>The quantity shipped under a deviation is a positive number of parts.</source>
            <translation>La quantité livrée sous une dérogation est un nombre positif de pièces.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="89" />
            <source>The rate '{value}' is not a number.</source>
            <translation>Le taux « {value} » n'est pas un nombre.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="101" />
            <source>The rate {value} is above 100 %.</source>
            <translation>Le taux {value} dépasse 100 %.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="95" />
            <source>The rate {value} is negative; a rate is between 0 and 100 %.</source>
            <translation>Le taux {value} est négatif ; un taux est compris entre 0 et 100 %.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="349" />
            <source>The reading of part {part} by operator {operator} in trial {trial} is not a finite number.</source>
            <translation>La mesure de la pièce {part} par l'opérateur {operator} à l'essai {trial} n'est pas un nombre fini.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification.py" line="173" />
            <source>The reason “Other” needs a few words saying what it is.</source>
            <translation>Le motif « Autre » demande quelques mots pour le préciser.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="149" />
            <source>The reference holds {ok} OK and {ng} NG parts: an attribute agreement study needs both, to measure misses and false alarms.</source>
            <translation>La référence compte {ok} pièces OK et {ng} NG : une étude de concordance par attributs a besoin des deux pour mesurer les non-détections et les fausses alarmes.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="178" />
            <source>The reference list sums to {total} %, {excess} % more than 100 %.</source>
            <translation>La liste de référence totalise {total} %, soit {excess} % de plus que 100 %.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="248" />
            <source>The report is issued ({issued}) before the test ({tested}).</source>
            <translation>Le rapport est émis ({issued}) avant l'essai ({tested}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/gauges.py" line="86" />
            <source>The resolution of a gauge is above zero.</source>
            <translation>La résolution d'un instrument est supérieure à zéro.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="169" />
            <source>The roadmap step {code} needs a target date.</source>
            <translation>L'étape {code} de la feuille de route a besoin d'une date cible.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="165" />
            <source>The roadmap step {code} needs a title.</source>
            <translation>L'étape {code} de la feuille de route a besoin d'un titre.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="242" />
            <source>The sample size cannot be negative.</source>
            <translation>La taille de l'échantillon ne peut pas être négative.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="172" />
            <source>The set code {code} appears twice in the reference list.</source>
            <translation>Le code d'ensemble {code} apparaît deux fois dans la liste de référence.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="151" />
            <source>The set {code} needs a name.</source>
            <translation>L'ensemble {code} a besoin d'un nom.</translation>
        </message>
        <message>
            <source>The set {code}{where} needs a name.</source>
            <translation type="vanished">L'ensemble {code}{where} a besoin d'un nom.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/roadmap.py" line="133" />
            <source>The set {set} of the component {name} is not in the reference list of {model}.</source>
            <translation>Le lot {set} du composant {name} n’est pas dans la liste de référence de {model}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa_sheets.py" line="84" />
            <source>The sheet has no {columns} column: a study sheet has one row per reading with its operator, part, trial and value.</source>
            <translation>La feuille n'a pas de colonne {columns} : une feuille d'étude a une ligne par mesure avec son opérateur, sa pièce, son essai et sa valeur.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa_sheets.py" line="89" />
            <source>The sheet {name} holds no readings.</source>
            <translation>La feuille {name} ne contient aucune mesure.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="148" />
            <source>The signature of site {site} on a batch of the package does not match; the batch was altered or forged.</source>
            <translation>La signature du site {site} sur un lot du paquet ne correspond pas ; le lot a été modifié ou falsifié.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/keys.py" line="30" />
            <source>The site key is not an Ed25519 key.</source>
            <translation>La clé du site n'est pas une clé Ed25519.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="280" />
            <source>The status {value} is not known.</source>
            <translation>Le statut {value} est inconnu.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/attachments.py" line="196" />
            <location filename="../../desktop_app/services/attachments.py" line="224" />
            <source>The stored copy of {name} is altered (its bytes no longer match SHA-256 {sha}); run 'partdesk verify' and restore it from a backup.</source>
            <translation>La copie stockée de {name} est altérée (ses octets ne correspondent plus au SHA-256 {sha}) ; lancez « partdesk verify » et restaurez-la depuis une sauvegarde.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/msa.py" line="225" />
            <source>The study date {date} is after today.</source>
            <translation>La date de l'étude {date} est postérieure à aujourd'hui.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="192" />
            <source>The study is not balanced: operator {operator} has no trial {trial} of part {part}, where every operator reads every part in trials {trials}.</source>
            <translation>L'étude n'est pas équilibrée : l'opérateur {operator} n'a pas d'essai {trial} sur la pièce {part}, alors que chaque opérateur mesure chaque pièce aux essais {trials}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification.py" line="302" />
            <source>The submission cannot be submitted: {first} (problems found: {count}; see the check list).</source>
            <translation>La soumission ne peut pas être soumise : {first} (problèmes relevés : {count} ; voir la liste de contrôle).</translation>
        </message>
        <message>
            <source>The submission cannot be submitted: {first} ({count} problem(s) in all; see the check list).</source>
            <translation type="vanished">La soumission ne peut pas être soumise : {first} ({count} problème(s) en tout ; voir la liste de contrôle).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/suppliers.py" line="114" />
            <source>The supplier code {code} is already used by {name}.</source>
            <translation>Le code fournisseur {code} est déjà utilisé par {name}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="189" />
            <source>The target date {target} of step {code} is before the approval of {model} on {approval}.</source>
            <translation>La date cible {target} de l'étape {code} précède l'agrément de {model} le {approval}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="340" />
            <source>The tolerance of a gauge R&amp;R is the width of the specification, above zero.</source>
            <translation>La tolérance d'une étude R&amp;R est la largeur de la spécification, supérieure à zéro.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/common.py" line="249" />
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="43" />
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="24" />
            <source>The two passwords differ.</source>
            <translation>Les deux mots de passe sont différents.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="275" />
            <source>The unit {value} is not one of {units}.</source>
            <translation>L'unité {value} ne fait pas partie de {units}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/migrations.py" line="110" />
            <source>The upgrade of the database was stopped because it would have left {count} rows of {table} pointing at missing records; the database is unchanged. Keep this version and report it to plant IT.</source>
            <translation>La mise à niveau de la base a été arrêtée car elle aurait laissé {count} lignes de {table} pointant vers des enregistrements absents ; la base est inchangée. Gardez cette version et signalez-le au service informatique de l’usine.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/migrations.py" line="105" />
            <source>The upgrade of the database was stopped because it would have removed {count} rows of {table}; the database is unchanged. Keep this version and report it to plant IT.</source>
            <translation>La mise à niveau de la base a été arrêtée car elle aurait supprimé {count} lignes de {table} ; la base est inchangée. Gardez cette version et signalez-le au service informatique de l’usine.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="59" />
            <source>The user name or password is wrong.</source>
            <translation>Le nom d'utilisateur ou le mot de passe est incorrect.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/people.py" line="310" />
            <source>The user name {user} is already taken.</source>
            <translation>Le nom d'utilisateur {user} est déjà pris.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/revisions.py" line="106" />
            <source>The value at {path} cannot be stored ({kind}).</source>
            <translation>La valeur à {path} ne peut pas être enregistrée ({kind}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/revisions.py" line="89" />
            <location filename="../../desktop_app/domain/revisions.py" line="97" />
            <source>The value at {path} is not a finite number.</source>
            <translation>La valeur à {path} n'est pas un nombre fini.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/suppliers.py" line="139" />
            <source>The vehicle model code {code} is already used.</source>
            <translation>Le code de modèle de véhicule {code} est déjà utilisé.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="218" />
            <source>The vehicles planned for {period} must be a whole number, 0 or more.</source>
            <translation>Les véhicules prévus pour {period} doivent être un nombre entier, 0 ou plus.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="126" />
            <source>The volume of {name} for {period} must be a whole number, 0 or more.</source>
            <translation>Le volume de {name} pour {period} doit être un nombre entier, 0 ou plus.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/workbooks.py" line="53" />
            <source>The workbook {name} cannot be read; it may be damaged ({detail}).</source>
            <translation>Le classeur {name} ne peut pas être lu ; il est peut-être endommagé ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/workbooks.py" line="59" />
            <source>The workbook {name} is protected by a password; save a copy without the password and import that.</source>
            <translation>Le classeur {name} est protégé par un mot de passe ; enregistrez-en une copie sans mot de passe et importez celle-ci.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="286" />
            <location filename="../../desktop_app/domain/parts.py" line="94" />
            <source>The {label} cannot be negative.</source>
            <translation>{label} : la valeur ne peut pas être négative.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="119" />
            <location filename="../../desktop_app/domain/parts.py" line="71" />
            <source>The {label} is empty.</source>
            <translation>{label} : le champ est vide.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="74" />
            <source>The {label} is longer than {limit} characters.</source>
            <translation>{label} : plus de {limit} caractères.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="125" />
            <source>The {label} “{value}” is not a date (YYYY-MM-DD).</source>
            <translation>{label} : « {value} » n'est pas une date (AAAA-MM-JJ).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="90" />
            <source>The {label} “{value}” is not a number.</source>
            <translation>{label} : « {value} » n'est pas un nombre.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="109" />
            <source>The {label} “{value}” is not a whole number.</source>
            <translation>{label} : « {value} » n'est pas un nombre entier.</translation>
        </message>
        <message>
            <source>The {what} '{value}'{where} is not a date (YYYY-MM-DD).</source>
            <translation type="vanished">{what} « {value} »{where} n'est pas une date (AAAA-MM-JJ).</translation>
        </message>
        <message>
            <source>The {what} '{value}'{where} is not a number.</source>
            <translation type="vanished">{what} « {value} »{where} n'est pas un nombre.</translation>
        </message>
        <message>
            <source>The {what} {value}{where} is above 100 %.</source>
            <translation type="vanished">{what} {value}{where} dépasse 100 %.</translation>
        </message>
        <message>
            <source>The {what} {value}{where} is negative; a rate is between 0 and 100 %.</source>
            <translation type="vanished">{what} {value}{where} est négatif ; un taux est compris entre 0 et 100 %.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification.py" line="343" />
            <source>There is no PPAP element {element}.</source>
            <translation>Il n'y a pas d'élément PPAP {element}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/tabular.py" line="56" />
            <source>There is no field called {name} to map.</source>
            <translation>Il n'y a pas de champ appelé {name} à associer.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="102" />
            <source>This PC is already enrolled in the plant {code} (PC {pc}).</source>
            <translation>Ce PC est déjà inscrit dans l'usine {code} (PC {pc}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/plant.py" line="34" />
            <source>This PC is not enrolled in the plant whose database is {where}: ask an administrator for a join code ('partdesk --user NAME plant invite' on an enrolled PC), then run 'partdesk plant join --database-url URL --code CODE' here.</source>
            <translation>Ce PC n'est pas inscrit dans l'usine dont la base est {where} : demandez un code d'adhésion à un administrateur ('partdesk --user NAME plant invite' sur un PC inscrit), puis lancez ici 'partdesk plant join --database-url URL --code CODE'.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/plant.py" line="40" />
            <source>This PC was removed from the plant on {date} by {by}; ask an administrator for a new join code and run 'partdesk plant join --database-url URL --code CODE' again.</source>
            <translation>Ce PC a été retiré de l'usine le {date} par {by} ; demandez un nouveau code d'adhésion à un administrateur et relancez 'partdesk plant join --database-url URL --code CODE'.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/plant.py" line="56" />
            <source>This PC's plant key {path} cannot be read ({detail}); ask an administrator for a join code and run 'partdesk plant join --database-url URL --code CODE' again.</source>
            <translation>La clé d'usine de ce PC {path} est illisible ({detail}) ; demandez un code d'adhésion à un administrateur et relancez 'partdesk plant join --database-url URL --code CODE'.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/plant.py" line="45" />
            <source>This PC's plant key {path} does not open the plant's site key (it belongs to another plant or was altered); ask an administrator for a join code and run 'partdesk plant join --database-url URL --code CODE' again.</source>
            <translation>La clé d'usine de ce PC {path} n'ouvre pas la clé de site de l'usine (elle appartient à une autre usine ou a été modifiée) ; demandez un code d'adhésion à un administrateur et relancez 'partdesk plant join --database-url URL --code CODE'.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/paths.py" line="158" />
            <source>This PC's plant settings {path} cannot be read ({detail}); run 'partdesk plant join --database-url URL --code CODE' again with a join code from an administrator.</source>
            <translation>Les réglages d'usine de ce PC {path} sont illisibles ({detail}) ; relancez 'partdesk plant join --database-url URL --code CODE' avec un code d'adhésion donné par un administrateur.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/database.py" line="148" />
            <source>This PartDesk has no driver for the database {where} ({module} is missing); install the plant build, which has the PostgreSQL driver.</source>
            <translation>Ce PartDesk n’a pas de pilote pour la base de données {where} ({module} manque) ; installez la version usine, qui a le pilote PostgreSQL.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/folder_warnings.py" line="36" />
            <source>This computer's clock says {now}, earlier than the last change recorded here ({last}): check the date and time settings. Until then, validity and due dates are judged from {last_day}.</source>
            <translation>L’horloge de cet ordinateur indique {now}, avant la dernière modification enregistrée ici ({last}) : vérifiez la date et l’heure. D’ici là, validités et échéances sont jugées à partir du {last_day}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/site.py" line="65" />
            <source>This data folder already belongs to site {code}.</source>
            <translation>Ce dossier de données appartient déjà au site {code}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/site.py" line="153" />
            <source>This data folder has no site yet; run the first-time set-up.</source>
            <translation>Ce dossier de données n'a pas encore de site ; lancez la configuration initiale.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/site.py" line="43" />
            <source>This data folder's site record is missing; run 'partdesk verify'.</source>
            <translation>L’enregistrement du site de ce dossier de données est introuvable ; lancez « partdesk verify ».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/migrations.py" line="91" />
            <source>This database was written by a newer PartDesk (schema {revision}); install the newer version to open it.</source>
            <translation>Cette base de données a été écrite par un PartDesk plus récent (schéma {revision}) ; installez la version plus récente pour l'ouvrir.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="107" />
            <location filename="../../desktop_app/services/deviations.py" line="265" />
            <source>This decision needs a reason, which is recorded with the signature.</source>
            <translation>Cette décision a besoin d'un motif, enregistré avec la signature.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="82" />
            <source>This is not a join code: it has 25 letters and digits in five groups, as 'partdesk plant invite' printed it.</source>
            <translation>Ce n'est pas un code d'adhésion : il compte 25 lettres et chiffres en cinq groupes, tel que 'partdesk plant invite' l'a affiché.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/keys.py" line="45" />
            <source>This is not an Ed25519 public key.</source>
            <translation>Ce n'est pas une clé publique Ed25519.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="87" />
            <source>This join code does not open the plant's key in {where}: check it, or ask an administrator for a new one ('partdesk plant invite').</source>
            <translation>Ce code d'adhésion n'ouvre pas la clé de l'usine dans {where} : vérifiez-le, ou demandez-en un nouveau à un administrateur ('partdesk plant invite').</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="97" />
            <source>This join code expired on {date}; ask an administrator for a new one ('partdesk plant invite').</source>
            <translation>Ce code d'adhésion a expiré le {date} ; demandez-en un nouveau à un administrateur ('partdesk plant invite').</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/plant.py" line="92" />
            <source>This join code was already used on {date}; ask an administrator for a new one ('partdesk plant invite').</source>
            <translation>Ce code d'adhésion a déjà servi le {date} ; demandez-en un nouveau à un administrateur ('partdesk plant invite').</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/sync_keys.py" line="130" />
            <source>This key of site {code} is already enrolled (retired: {retired}).</source>
            <translation>Cette clé du site {code} est déjà enregistrée (retirée : {retired}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/context.py" line="150" />
            <source>This site's signing key is missing from {path}.</source>
            <translation>La clé de signature de ce site est absente de {path}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/roadmap.py" line="279" />
            <source>This step was edited at two sites; merge it before signing.</source>
            <translation>Cette étape a été modifiée sur deux sites ; fusionnez-la avant de signer.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="60" />
            <source>This submission cannot be {action}: {first} (problems found: {count}; see the check list).</source>
            <translation>Cette soumission ne peut pas être {action} : {first} (problèmes relevés : {count} ; voir la liste de contrôle).</translation>
        </message>
        <message>
            <source>This submission cannot be {action}: {first} ({count} problem(s) in all; see the check list).</source>
            <translation type="vanished">Cette soumission ne peut pas être {action} : {first} ({count} problème(s) en tout ; voir la liste de contrôle).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="153" />
            <source>This submission is approved as it stands; it needs no new approval.</source>
            <translation>Cette soumission est approuvée telle quelle ; elle n'a pas besoin d'une nouvelle approbation.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/roadmap.py" line="289" />
            <source>This version of the step is already signed for that party.</source>
            <translation>Cette version de l'étape est déjà signée pour cette partie.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="241" />
            <source>Tolerances need a nominal value.</source>
            <translation>Les tolérances nécessitent une valeur nominale.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="69" />
            <source>Too many failed sign-ins for {user}; try again in {seconds} seconds.</source>
            <translation>Trop d'échecs de connexion pour {user} ; réessayez dans {seconds} secondes.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="161" />
            <source>Two milestones fall at the end of the same year.</source>
            <translation>Deux jalons tombent à la fin de la même année.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="63" />
            <source>a 7-Zip archive</source>
            <translation>une archive 7-Zip</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="65" />
            <source>a GIF image</source>
            <translation>une image GIF</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="62" />
            <source>a RAR archive</source>
            <translation>une archive RAR</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="57" />
            <source>a Windows program</source>
            <translation>un programme Windows</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="137" />
            <source>a ZIP archive (not an Excel workbook)</source>
            <translation>une archive ZIP (pas un classeur Excel)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="66" />
            <source>a binary DXF drawing</source>
            <translation>un dessin DXF binaire</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="64" />
            <source>a compressed archive</source>
            <translation>une archive compressée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="58" />
            <location filename="../../desktop_app/files/sniff.py" line="59" />
            <source>a program</source>
            <translation>un programme</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="60" />
            <source>a script</source>
            <translation>un script</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="61" />
            <source>an old Office document</source>
            <translation>un ancien document Office</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/audit.py" line="415" />
            <source>audit log: a seal names entry {seq}, but the log ends at entry {head} (entries were removed).</source>
            <translation>journal d'audit : un sceau désigne l'entrée {seq}, mais le journal s'arrête à l'entrée {head} (des entrées ont été supprimées).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="342" />
            <source>audit log: backup {name} holds the log up to entry {seq}, but the log ends at entry {head} (entries were removed).</source>
            <translation>journal d'audit : la sauvegarde {name} contient le journal jusqu'à l'entrée {seq}, mais le journal s'arrête à l'entrée {head} (des entrées ont été supprimées).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/audit.py" line="425" />
            <source>audit log: entries {first} to {last} are not sealed by this site's key.</source>
            <translation>journal d'audit : les entrées {first} à {last} ne sont pas scellées par la clé de ce site.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="347" />
            <source>audit log: entry {seq} differs from backup {name} (the log was rewritten).</source>
            <translation>journal d'audit : l'entrée {seq} diffère de la sauvegarde {name} (le journal a été réécrit).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="333" />
            <source>audit log: entry {seq} differs from the anchor file (the log was rewritten).</source>
            <translation>journal d'audit : l'entrée {seq} diffère du fichier d'ancrage (le journal a été réécrit).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="355" />
            <source>audit log: entry {seq} differs from the head sent in package {sequence} on {date} (the log was rewritten).</source>
            <translation>journal d'audit : l'entrée {seq} diffère de la tête envoyée dans le paquet {sequence} le {date} (le journal a été réécrit).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="365" />
            <source>audit log: entry {seq} differs from the one site {site} holds (as of {at}); the log was rewritten.</source>
            <translation>journal d'audit : l'entrée {seq} diffère de celle que détient le site {site} (à la date du {at}) ; le journal a été réécrit.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/audit.py" line="420" />
            <source>audit log: none of its {count} entries is sealed by this site's key (a folder from before sealing, or the seals were removed); the next change made here seals the log.</source>
            <translation>journal d'audit : aucune de ses {count} entrées n'est scellée par la clé de ce site (dossier antérieur au scellement, ou sceaux supprimés) ; la prochaine modification faite ici scellera le journal.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="350" />
            <source>audit log: package {sequence} sent on {date} carried the log up to entry {seq}, but the log ends at entry {head} (entries were removed).</source>
            <translation>journal d'audit : le paquet {sequence} envoyé le {date} contenait le journal jusqu'à l'entrée {seq}, mais le journal s'arrête à l'entrée {head} (des entrées ont été supprimées).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="360" />
            <source>audit log: site {site} holds this log up to entry {seq} (as of {at}), but the log ends at entry {head} (entries were removed).</source>
            <translation>journal d'audit : le site {site} détient ce journal jusqu'à l'entrée {seq} (à la date du {at}), mais le journal s'arrête à l'entrée {head} (des entrées ont été supprimées).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="328" />
            <source>audit log: the anchor file holds the log up to entry {seq}, but the log ends at entry {head} (entries were removed).</source>
            <translation>journal d'audit : le fichier d'ancrage contient le journal jusqu'à l'entrée {seq}, mais le journal s'arrête à l'entrée {head} (des entrées ont été supprimées).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="322" />
            <source>audit log: the anchor file {path} cannot be read ({detail}).</source>
            <translation>journal d'audit : le fichier d'ancrage {path} ne peut pas être lu ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="317" />
            <source>audit log: the anchor file {path} is missing although the log is sealed (deleted?); the next change made here writes a new one and records that in the log.</source>
            <translation>journal d'audit : le fichier d'ancrage {path} est absent alors que le journal est scellé (supprimé ?) ; la prochaine modification faite ici en écrira un nouveau et le consignera dans le journal.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="325" />
            <source>audit log: the anchor file {path} is not signed by this site's key (altered).</source>
            <translation>journal d'audit : le fichier d'ancrage {path} n'est pas signé par la clé de ce site (altéré).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="336" />
            <source>audit log: the head of backup {name} cannot be read ({detail}).</source>
            <translation>journal d'audit : la tête de la sauvegarde {name} ne peut pas être lue ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/anchors.py" line="339" />
            <source>audit log: the head recorded for backup {name} is not signed by this site's key.</source>
            <translation>journal d'audit : la tête enregistrée pour la sauvegarde {name} n'est pas signée par la clé de ce site.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/audit.py" line="400" />
            <source>audit log: the site key is missing or cannot be read, so its {count} seals cannot be checked.</source>
            <translation>journal d'audit : la clé du site est absente ou illisible ; ses {count} sceaux ne peuvent donc pas être vérifiés.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/audit.py" line="410" />
            <source>audit log: {count} seals are not signed by this site's key, the first at entry {seq} (forged or altered).</source>
            <translation>journal d'audit : {count} sceaux ne sont pas signés par la clé de ce site, le premier à l'entrée {seq} (falsifiés ou modifiés).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/audit.py" line="405" />
            <source>audit log: {count} seals do not match their entries, the first at entry {seq} (entries were changed after they were sealed).</source>
            <translation>journal d'audit : {count} sceaux ne correspondent pas à leurs entrées, le premier à l'entrée {seq} (des entrées ont été modifiées après leur scellement).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="143" />
            <source>binary data of an unknown kind</source>
            <translation>des données binaires de type inconnu</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="66" />
            <source>move the file away, or choose another data folder</source>
            <translation>déplacez le fichier ailleurs, ou choisissez un autre dossier de données</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/folder_check.py" line="62" />
            <source>no backup in {backups} verifies, so bring back a copy of the whole folder from elsewhere</source>
            <translation>aucune sauvegarde de {backups} ne passe la vérification : rapportez d'ailleurs une copie du dossier entier</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="243" />
            <source>the component family “{value}” is not in the list of families.</source>
            <translation>la famille de composants « {value} » n'est pas dans la liste des familles.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="251" />
            <source>the status “{value}” is not one of in development, released, obsolete.</source>
            <translation>le statut « {value} » n'est pas l'un de : en développement, diffusé, obsolète.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="271" />
            <source>the supplier “{value}” is not registered (a strict import creates no supplier).</source>
            <translation>le fournisseur « {value} » n'est pas enregistré (un import strict ne crée aucun fournisseur).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="259" />
            <source>the vehicle model “{value}” is not registered.</source>
            <translation>le modèle de véhicule « {value} » n'est pas enregistré.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_decisions.py" line="93" />
            <source>{action} is not a decision.</source>
            <translation>{action} n'est pas une décision.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="82" />
            <source>{file}, line {line}: {message}</source>
            <translation>{file}, ligne {line} : {message}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="345" />
            <source>{key} gives a value of characteristic {index}, which the file does not describe (no K2001/{index} …).</source>
            <translation>{key} donne une valeur de la caractéristique {index}, que le fichier ne décrit pas (pas de K2001/{index} …).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="291" />
            <source>{key} has no valid characteristic index (such as /1, /2, or /0 for every characteristic).</source>
            <translation>{key} n'a pas d'indice de caractéristique valide (comme /1, /2, ou /0 pour toutes les caractéristiques).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="317" />
            <source>{key} is characteristic type {value}; this import reads 0 (variable) and 1 (attribute).</source>
            <translation>{key} est le type de caractéristique {value} ; cette importation lit 0 (variable) et 1 (attribut).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="437" />
            <source>{key} names characteristic {index}, but the file has {count} (K0100).</source>
            <translation>{key} désigne la caractéristique {index}, mais le fichier en a {count} (K0100).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="334" />
            <source>{key} needs the index of one characteristic (/1, /2 …), not /0.</source>
            <translation>{key} demande l'indice d'une seule caractéristique (/1, /2 …), pas /0.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="414" />
            <source>{key} should be a date and time such as 13.05.2025/08:15:00, not "{value}".</source>
            <translation>{key} doit être une date et une heure comme 13.05.2025/08:15:00, pas « {value} ».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="393" />
            <source>{key} should be a number, not "{value}".</source>
            <translation>{key} doit être un nombre, pas « {value} ».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="407" />
            <source>{key} should be a subgroup size from 1 to {most}, not "{value}".</source>
            <translation>{key} doit être une taille de sous-groupe de 1 à {most}, pas « {value} ».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="398" />
            <location filename="../../desktop_app/files/aqdef.py" line="403" />
            <source>{key} should be a whole number, not "{value}".</source>
            <translation>{key} doit être un nombre entier, pas « {value} ».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="301" />
            <source>{key} starts a second part; import a file of one part.</source>
            <translation>{key} commence une deuxième pièce ; importez un fichier d'une seule pièce.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/sync_keys.py" line="46" />
            <source>{kinds}: no such kind of record a site may be allowed to write.</source>
            <translation>{kinds} : ce ne sont pas des types d'enregistrement qu'un site peut être autorisé à écrire.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="106" />
            <source>{label}: answer yes, no or n/a.</source>
            <translation>{label} : répondez oui, non ou s.o.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="113" />
            <source>{label}: write a number.</source>
            <translation>{label} : écrivez un nombre.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="109" />
            <source>{label}: write the date as YYYY-MM-DD.</source>
            <translation>{label} : écrivez la date au format AAAA-MM-JJ.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="104" />
            <source>{member} in the package does not match its hash; it was altered.</source>
            <translation>{member} dans le paquet ne correspond pas à son empreinte ; il a été altéré.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="52" />
            <source>{member} in the package expands far beyond its compressed size (a compression bomb); it was refused.</source>
            <translation>{member} dans le paquet se décompresse bien au-delà de sa taille compressée (une bombe de décompression) ; il a été refusé.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="47" />
            <source>{member} in the package is larger than allowed ({limit} bytes); it was refused.</source>
            <translation>{member} dans le paquet dépasse la taille permise ({limit} octets) ; il a été refusé.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="58" />
            <source>{member} in the package is not the size its headers or manifest say.</source>
            <translation>{member} dans le paquet n'a pas la taille indiquée par ses en-têtes ou son manifeste.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="72" />
            <source>{member} in the package is not valid strict JSON (line {line}: {detail}).</source>
            <translation>{member} dans le paquet n'est pas du JSON strict valide (ligne {line} : {detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/roadmap.py" line="242" />
            <source>{model} already has a roadmap step {code}.</source>
            <translation>{model} a déjà une étape de feuille de route {code}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="450" />
            <source>{name} describes no characteristic (no K2001 … fields).</source>
            <translation>{name} ne décrit aucune caractéristique (aucun champ K2001 …).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/tables.py" line="277" />
            <source>{name} has no sheet {sheet}; its sheets are: {sheets}.</source>
            <translation>{name} n’a pas de feuille {sheet} ; ses feuilles sont : {sheets}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="161" />
            <source>{name} holds only values; its description {stem}.dfd is not beside it.</source>
            <translation>{name} ne contient que des valeurs ; sa description {stem}.dfd n'est pas à côté.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/attachments.py" line="116" />
            <source>{name} is already attached here as {existing} (same content, SHA-256 {sha}).</source>
            <translation>{name} est déjà joint ici sous le nom {existing} (même contenu, SHA-256 {sha}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/backup.py" line="350" />
            <source>{name} is damaged ({detail}); it was not restored.</source>
            <translation>{name} est endommagé ({detail}) ; il n'a pas été restauré.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="124" />
            <location filename="../../desktop_app/files/sniff.py" line="176" />
            <source>{name} is empty.</source>
            <translation>{name} est vide.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="123" />
            <source>{name} is larger than the largest package accepted ({limit} bytes).</source>
            <translation>{name} dépasse le plus grand paquet accepté ({limit} octets).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/blobs.py" line="227" />
            <source>{name} is larger than the limit of {limit} MB.</source>
            <translation>{name} dépasse la limite de {limit} Mo.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="198" />
            <location filename="../../desktop_app/files/sniff.py" line="192" />
            <source>{name} is named as a Q-DAS AQDEF file but holds binary data.</source>
            <translation>{name} porte le nom d'un fichier Q-DAS AQDEF mais contient des données binaires.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="179" />
            <source>{name} is named as a Q-DAS AQDEF file but is a PDF document.</source>
            <translation>{name} porte le nom d'un fichier Q-DAS AQDEF mais est un document PDF.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="183" />
            <source>{name} is named as a Q-DAS AQDEF file but is a ZIP archive (or an Excel workbook).</source>
            <translation>{name} porte le nom d'un fichier Q-DAS AQDEF mais est une archive ZIP (ou un classeur Excel).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="187" />
            <source>{name} is named as a Q-DAS AQDEF file but is an image.</source>
            <translation>{name} porte le nom d'un fichier Q-DAS AQDEF mais est une image.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="197" />
            <source>{name} is named as a Q-DAS AQDEF file but its first line is no K-field (such as K0100 or K1001).</source>
            <translation>{name} porte le nom d'un fichier Q-DAS AQDEF mais sa première ligne n'est pas un champ K (comme K0100 ou K1001).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/backup.py" line="344" />
            <source>{name} is not a PartDesk backup ({detail}).</source>
            <translation>{name} n'est pas une sauvegarde PartDesk ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/sync_keys.py" line="52" />
            <source>{name} is not a PartDesk site key file ({detail}).</source>
            <translation>{name} n'est pas un fichier de clé de site PartDesk ({detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/aqdef.py" line="156" />
            <source>{name} is not a Q-DAS AQDEF file (.dfq, .dfd, .dfx).</source>
            <translation>{name} n'est pas un fichier Q-DAS AQDEF (.dfq, .dfd, .dfx).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/sync/errors.py" line="17" />
            <source>{name} is not a complete PartDesk package (damaged or truncated: {detail}).</source>
            <translation>{name} n'est pas un paquet PartDesk complet (endommagé ou tronqué : {detail}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/files/sniff.py" line="72" />
            <source>{name} is not an allowed file type ({allowed}); its content looks like {looks_like}.</source>
            <translation>{name} n'est pas d'un type de fichier autorisé ({allowed}) ; son contenu ressemble à {looks_like}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/sync_keys.py" line="123" />
            <source>{name} is this site's own key.</source>
            <translation>{name} est la clé de ce site lui-même.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/attachments.py" line="218" />
            <source>{name} is too large to preview; open it instead.</source>
            <translation>{name} est trop volumineux pour l'aperçu ; ouvrez-le plutôt.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/attachments.py" line="86" />
            <location filename="../../desktop_app/storage/blobs.py" line="158" />
            <source>{name} is {size} MB, above the limit of {limit} MB.</source>
            <translation>{name} fait {size} Mo, au-delà de la limite de {limit} Mo.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="50" />
            <source>{path} could not be written ({detail}), and nothing was changed.</source>
            <translation>{path} n'a pas pu être écrit ({detail}) ; rien n'a été modifié.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/faults.py" line="35" />
            <source>{path} is held by another program (an antivirus or a search indexer, perhaps), and nothing was changed; try again in a moment.</source>
            <translation>{path} est retenu par un autre programme (un antivirus ou un indexeur de recherche, peut-être) ; rien n'a été modifié ; réessayez dans un instant.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/conflicts.py" line="139" />
            <source>{rev} is not one of the competing versions of {key}.</source>
            <translation>{rev} n'est pas l'une des versions concurrentes de {key}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_schemas.py" line="322" />
            <source>{type} record {record}: a deletion carries no fields, but {name} is not empty.</source>
            <translation>Enregistrement {type} {record} : une suppression ne comporte aucun champ, mais le champ {name} n'est pas vide.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_schemas.py" line="324" />
            <source>{type} record {record}: a deletion names no earlier revision in {name}.</source>
            <translation>Enregistrement {type} {record} : une suppression n'indique aucune révision antérieure dans le champ {name}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_schemas.py" line="318" />
            <source>{type} record {record}: this kind of record is not known to this version.</source>
            <translation>Enregistrement {type} {record} : ce type d'enregistrement est inconnu de cette version.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="32" />
            <source>{type} record {record}: {name} holds a character that cannot be stored (NUL or a lone surrogate).</source>
            <translation>Enregistrement {type} {record} : le champ {name} contient un caractère qui ne peut pas être stocké (NUL ou substitut isolé).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="58" />
            <source>{type} record {record}: {name} holds more than {limit} entries.</source>
            <translation>Enregistrement {type} {record} : le champ {name} contient plus de {limit} éléments.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="49" />
            <source>{type} record {record}: {name} is a number too large or too close to zero (1E-12 to 1E+13 in size).</source>
            <translation>Enregistrement {type} {record} : le champ {name} est un nombre trop grand ou trop proche de zéro (ordre de grandeur de 1E-12 à 1E+13).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="30" />
            <source>{type} record {record}: {name} is longer than {limit} characters.</source>
            <translation>Enregistrement {type} {record} : le champ {name} dépasse {limit} caractères.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="28" />
            <source>{type} record {record}: {name} is missing.</source>
            <translation>Enregistrement {type} {record} : le champ {name} est absent.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="54" />
            <source>{type} record {record}: {name} is not 64 hexadecimal digits (a hash or a key).</source>
            <translation>Enregistrement {type} {record} : le champ {name} n'est pas composé de 64 chiffres hexadécimaux (une empreinte ou une clé).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="44" />
            <source>{type} record {record}: {name} is not a UTC time stamp such as 2026-01-31T08:00:00.000000Z.</source>
            <translation>Enregistrement {type} {record} : le champ {name} n'est pas un horodatage UTC tel que 2026-01-31T08:00:00.000000Z.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="42" />
            <source>{type} record {record}: {name} is not a date (YYYY-MM-DD).</source>
            <translation>Enregistrement {type} {record} : le champ {name} n'est pas une date (AAAA-MM-JJ).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="47" />
            <source>{type} record {record}: {name} is not a decimal number written as text.</source>
            <translation>Enregistrement {type} {record} : le champ {name} n'est pas un nombre décimal écrit sous forme de texte.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="26" />
            <source>{type} record {record}: {name} is not a field of this kind of record.</source>
            <translation>Enregistrement {type} {record} : {name} n'est pas un champ de ce type d'enregistrement.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="56" />
            <source>{type} record {record}: {name} is not a list.</source>
            <translation>Enregistrement {type} {record} : le champ {name} n'est pas une liste.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="52" />
            <source>{type} record {record}: {name} is not a record id (a UUID in lower case).</source>
            <translation>Enregistrement {type} {record} : le champ {name} n'est pas un identifiant d'enregistrement (un UUID en minuscules).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="37" />
            <source>{type} record {record}: {name} is not a whole number.</source>
            <translation>Enregistrement {type} {record} : le champ {name} n'est pas un nombre entier.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="57" />
            <source>{type} record {record}: {name} is not an object.</source>
            <translation>Enregistrement {type} {record} : le champ {name} n'est pas un objet.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="41" />
            <source>{type} record {record}: {name} is not one of {allowed}.</source>
            <translation>Enregistrement {type} {record} : le champ {name} n'a aucune des valeurs {allowed}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="29" />
            <source>{type} record {record}: {name} is not text.</source>
            <translation>Enregistrement {type} {record} : le champ {name} n'est pas du texte.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="40" />
            <source>{type} record {record}: {name} is not true or false.</source>
            <translation>Enregistrement {type} {record} : le champ {name} n'est ni vrai ni faux.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="35" />
            <source>{type} record {record}: {name} is not written in the form this field takes.</source>
            <translation>Enregistrement {type} {record} : le champ {name} n'est pas écrit sous la forme attendue pour ce champ.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/field_specs.py" line="38" />
            <source>{type} record {record}: {name} is outside the range {low} to {high}.</source>
            <translation>Enregistrement {type} {record} : le champ {name} est hors de la plage {low} à {high}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_schemas.py" line="320" />
            <source>{type} record {record}: {name} names the same revision twice.</source>
            <translation>Enregistrement {type} {record} : le champ {name} désigne deux fois la même révision.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="54" />
            <source>{user} ({role}) is not allowed to {action}.</source>
            <translation>{user} ({role}) n'est pas autorisé à {action}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/roadmap.py" line="285" />
            <source>{user} already signed this step for the other party; each party signs with its own person.</source>
            <translation>{user} a déjà signé cette étape pour l'autre partie ; chaque partie signe par sa propre personne.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/people.py" line="430" />
            <source>{user} is the last active administrator; appoint another first.</source>
            <translation>{user} est le dernier administrateur actif ; nommez-en un autre d'abord.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="184" />
            <source>{user} prepared this submission and cannot approve it; another approver must decide.</source>
            <translation>{user} a préparé cette soumission et ne peut pas l'approuver ; un autre approbateur doit décider.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="188" />
            <source>{user} produced evidence in this submission and cannot approve it; another approver must decide.</source>
            <translation>{user} a produit des preuves de cette soumission et ne peut pas l'approuver ; un autre approbateur doit décider.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="312" />
            <source>{user} requested this deviation and cannot decide on it; the customer's approver must.</source>
            <translation>{user} a demandé cette dérogation et ne peut pas en décider ; c’est à l’approbateur du client de le faire.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/storage/blobs.py" line="83" />
            <source>{value} is not a SHA-256 hash.</source>
            <translation>{value} n'est pas une empreinte SHA-256.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="297" />
            <source>{what} '{value}' is not a date (YYYY-MM-DD).</source>
            <translation>{what} « {value} » n'est pas une date (AAAA-MM-JJ).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="157" />
            <source>{what} '{value}' is not a number.</source>
            <translation>{what} « {value} » n'est pas un nombre.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="63" />
            <source>{what} '{value}' is not one of: {allowed}.</source>
            <translation>{what} « {value} » ne fait pas partie de : {allowed}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="97" />
            <source>{what} {key} belongs to another site; it can only be changed there.</source>
            <translation>{what} {key} appartient à un autre site ; il ne peut être modifié que là-bas.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="49" />
            <source>{what} {key} does not exist.</source>
            <translation>{what} {key} n'existe pas.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="88" />
            <source>{what} {key} was changed by {author} since you opened it; reopen it and retry.</source>
            <translation>{what} {key} a été modifié par {author} depuis que vous l'avez ouvert ; rouvrez-le et réessayez.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/errors.py" line="81" />
            <source>{what} {key} was edited at two sites; a person must merge the versions first.</source>
            <translation>{what} {key} a été modifié sur deux sites ; une personne doit d'abord fusionner les versions.</translation>
        </message>
    </context>
    <context>
        <name>Evidence</name>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="430" />
            <source>%GRR is {value} % of the tolerance, above 30 %: unacceptable; improve the measurement system.</source>
            <translation>Le %GRR vaut {value} % de la tolérance, au-dessus de 30 % : inacceptable ; améliorez le système de mesure.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="427" />
            <source>%GRR is {value} % of the tolerance, between 10 and 30 %: it may be acceptable depending on the application, with the customer's agreement.</source>
            <translation>Le %GRR vaut {value} % de la tolérance, entre 10 et 30 % : il peut être acceptable selon l'application, avec l’accord du client.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="424" />
            <source>%GRR is {value} % of the total variation, above 30 %: unacceptable; improve the measurement system.</source>
            <translation>Le %GRR vaut {value} % de la variation totale, au-dessus de 30 % : inacceptable ; améliorez le système de mesure.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="421" />
            <source>%GRR is {value} % of the total variation, between 10 and 30 %: it may be acceptable depending on the application, with the customer's agreement.</source>
            <translation>Le %GRR vaut {value} % de la variation totale, entre 10 et 30 % : il peut être acceptable selon l'application, avec l’accord du client.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/measurement_grid.py" line="110" />
            <source>'{value}' is neither OK nor NG.</source>
            <translation>« {value} » n’est ni OK ni NOK.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/measurement_grid.py" line="112" />
            <source>'{value}' is not a number of defects (0, 1, 2 …).</source>
            <translation>« {value} » n’est pas un nombre de défauts (0, 1, 2 …).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/measurement_grid.py" line="114" />
            <source>'{value}' is not a number.</source>
            <translation>« {value} » n'est pas un nombre.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="85" />
            <source>Acceptable</source>
            <translation>Acceptable</translation>
        </message>
        <message>
            <source>Acceptable (≥ 1.67)</source>
            <translation type="vanished">Acceptable (≥ 1.67)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="293" />
            <source>All readings are equal: the spread is below the gauge resolution and the indices cannot be computed.</source>
            <translation>Toutes les mesures sont égales : la dispersion est inférieure à la résolution de l'instrument et les indices ne peuvent pas être calculés.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="147" />
            <source>Any nonconforming part fails a PPAP sample unless the customer agreed (a deviation).</source>
            <translation>Toute pièce non conforme fait échouer un échantillon PPAP, sauf accord du client (une dérogation).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="68" />
            <source>Appearance</source>
            <translation>Aspect</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="227" />
            <source>Appraiser {operator} agrees with the reference with kappa {kappa}, below 0.40: poor agreement.</source>
            <translation>L'évaluateur {operator} concorde avec la référence avec un kappa de {kappa}, sous 0,40 : concordance faible.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="232" />
            <source>Appraiser {operator} agrees with the reference with kappa {kappa}, not above 0.75.</source>
            <translation>L'évaluateur {operator} concorde avec la référence avec un kappa de {kappa}, pas au-dessus de 0,75.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="215" />
            <source>Appraiser {operator}: effectiveness {effectiveness} %, miss rate {miss} %, false alarm rate {false_alarm} %: marginally acceptable (90 %, 2 %, 5 % are acceptable); the customer must agree.</source>
            <translation>Évaluateur {operator} : efficacité {effectiveness} %, taux de non-détection {miss} %, taux de fausse alarme {false_alarm} % : marginalement acceptable (90 %, 2 %, 5 % sont acceptables) ; le client doit donner son accord.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="221" />
            <source>Appraiser {operator}: effectiveness {effectiveness} %, miss rate {miss} %, false alarm rate {false_alarm} %: unacceptable (at least 80 %, at most 5 % and 10 %).</source>
            <translation>Évaluateur {operator} : efficacité {effectiveness} %, taux de non-détection {miss} %, taux de fausse alarme {false_alarm} % : inacceptable (au moins 80 %, au plus 5 % et 10 %).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa_attribute.py" line="167" />
            <source>Appraisers {first} and {second} agree with each other with kappa {kappa}, not above 0.75.</source>
            <translation>Les évaluateurs {first} et {second} concordent entre eux avec un kappa de {kappa}, pas au-dessus de 0,75.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="40" />
            <source>Attribute (OK / NG)</source>
            <translation>Attribut (OK / NOK)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="41" />
            <source>Attribute (defects per sample)</source>
            <translation>Attribut (défauts par échantillon)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="68" />
            <source>Attribute agreement</source>
            <translation>Concordance par attributs</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="64" />
            <source>Capability study</source>
            <translation>Étude de capabilité</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="191" />
            <source>Characteristic {number}: the file's limits ({file}) differ from this part's ({part}); the part's limits grade the readings.</source>
            <translation>Caractéristique {number} : les limites du fichier ({file}) diffèrent de celles de cette pièce ({part}) ; ce sont les limites de la pièce qui jugent les mesures.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="204" />
            <source>Characteristic {number}: the gauge named in the file ({codes}, K0012) is not one gauge of the register; the characteristic's own gauge is recorded.</source>
            <translation>Caractéristique {number} : l'instrument indiqué dans le fichier ({codes}, K0012) n'est pas un instrument unique du registre ; l'instrument de la caractéristique est enregistré.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="121" />
            <source>Characteristic {number}: {count} reading(s) that the measuring program excluded (K0002 255 or 256) are left out.</source>
            <translation>Caractéristique {number} : {count} mesure(s) exclue(s) par le logiciel de mesure (K0002 255 ou 256) sont écartée(s).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="95" />
            <source>Conforming</source>
            <translation>Conforme</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="32" />
            <source>Critical (CC)</source>
            <translation>Critique (CC)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="63" />
            <source>Dimensional</source>
            <translation>Dimensionnel</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="112" />
            <source>Drawing</source>
            <translation>Plan</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="67" />
            <source>Durability</source>
            <translation>Endurance</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="217" />
            <source>Equipment (repeatability)</source>
            <translation>Équipement (répétabilité)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="81" />
            <source>External laboratory</source>
            <translation>Laboratoire externe</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="46" />
            <source>Fail</source>
            <translation>Non conforme</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="67" />
            <source>Gauge R&amp;R (ANOVA)</source>
            <translation>Étude R&amp;R (ANOVA)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="343" />
            <source>Gauge {code} was not in calibration on {day} (due {due}): characteristic {number} is marked for an impact assessment (IATF 16949 7.1.5.2.1).</source>
            <translation>L'instrument {code} était hors étalonnage le {day} (échéance {due}) : la caractéristique {number} est signalée pour une analyse d'impact (IATF 16949 7.1.5.2.1).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="80" />
            <source>Internal laboratory</source>
            <translation>Laboratoire interne</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="65" />
            <source>Material</source>
            <translation>Matière</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="113" />
            <source>Material certificate EN 10204 2.1</source>
            <translation>Certificat matière EN 10204 2.1</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="114" />
            <source>Material certificate EN 10204 2.2</source>
            <translation>Certificat matière EN 10204 2.2</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="115" />
            <source>Material certificate EN 10204 3.1</source>
            <translation>Certificat matière EN 10204 3.1</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="116" />
            <source>Material certificate EN 10204 3.2</source>
            <translation>Certificat matière EN 10204 3.2</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="86" />
            <source>May be acceptable (customer agreement)</source>
            <translation>Peut être acceptable (accord du client)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="65" />
            <source>Meets (&gt; 1.67)</source>
            <translation>Conforme (&gt; 1,67)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="63" />
            <source>Needs customer agreement (1.33 to 1.67)</source>
            <translation>Accord du client nécessaire (1.33 à 1.67)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="47" />
            <source>No data</source>
            <translation>Aucune donnée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="62" />
            <source>Not acceptable (&lt; 1.33)</source>
            <translation>Non acceptable (&lt; 1.33)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="96" />
            <source>Not conforming</source>
            <translation>Non conforme</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="94" />
            <source>Not stated</source>
            <translation>Non indiqué</translation>
        </message>
        <message>
            <source>One-sided limit: Cp and Pp do not exist; Cpk and Ppk use the one side.</source>
            <translation type="vanished">Limite unilatérale : Cp et Pp n'existent pas ; Cpk et Ppk n'utilisent que le côté spécifié.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="280" />
            <source>One-sided limit: Cp and Pp do not exist; Cpk and Ppk use the one side. The acceptance bands are written for two-sided limits: agree the criteria with the customer.</source>
            <translation>Limite unilatérale : Cp et Pp n’existent pas ; Cpk et Ppk utilisent le seul côté. Les seuils d’acceptation sont écrits pour des limites bilatérales : convenez des critères avec le client.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="267" />
            <source>Only {n} readings: capability needs at least {min} (about {wanted} wanted), so these indices are indicative only.</source>
            <translation>Seulement {n} mesures : la capabilité en demande au moins {min} (environ {wanted} souhaitées) ; ces indices sont donc purement indicatifs.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="214" />
            <source>Operators</source>
            <translation>Opérateurs</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="216" />
            <source>Operators × parts</source>
            <translation>Opérateurs × pièces</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="119" />
            <location filename="../../desktop_app/domain/evidence.py" line="70" />
            <source>Other</source>
            <translation>Autre</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/measurement_grid.py" line="212" />
            <source>Outside the limits {limits}</source>
            <translation>Hors des limites {limits}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="215" />
            <source>Parts</source>
            <translation>Pièces</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="45" />
            <source>Pass</source>
            <translation>Conforme</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="66" />
            <source>Performance</source>
            <translation>Performance</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="118" />
            <source>Photo</source>
            <translation>Photo</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="323" />
            <source>Ppk {ppk} is above 1.67: the acceptance criterion is met.</source>
            <translation>Ppk {ppk} est au-dessus de 1,67 : le critère d’acceptation est satisfait.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="317" />
            <source>Ppk {ppk} is below 1.33: not acceptable without a deviation agreed with the customer.</source>
            <translation>Ppk {ppk} est sous 1,33 : non acceptable sans dérogation convenue avec le client.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="320" />
            <source>Ppk {ppk} is between 1.33 and 1.67: acceptable only with the customer's agreement.</source>
            <translation>Ppk {ppk} est entre 1,33 et 1,67 : acceptable seulement avec l’accord du client.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="297" />
            <source>Process not stable: points beyond the control limits of the {chart} chart: {count}. Capability does not predict an unstable process, so Cpk is not reported: remove the special causes or agree with the customer.</source>
            <translation>Procédé non stable : points hors des limites de contrôle de la carte {chart} : {count}. La capabilité ne prédit pas un procédé instable, Cpk n’est donc pas indiqué : éliminez les causes spéciales ou convenez-en avec le client.</translation>
        </message>
        <message>
            <source>Process not stable: {count} point(s) beyond the control limits of the {chart} chart. Capability does not predict an unstable process, so Cpk is not reported: remove the special causes or agree with the customer.</source>
            <translation type="vanished">Procédé non stable : {count} point(s) hors des limites de contrôle de la carte {chart}. La capabilité ne prédit pas un procédé instable, Cpk n’est donc pas indiqué : éliminez les causes spéciales ou convenez-en avec le client.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="69" />
            <source>Salt spray</source>
            <translation>Brouillard salin</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/measurement_grid.py" line="241" />
            <source>Sample {row}, characteristic {number}: '{value}' is not a number.</source>
            <translation>Échantillon {row}, caractéristique {number} : « {value} » n'est pas un nombre.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/measurement_grid.py" line="230" />
            <source>Sample {row}, characteristic {number}: {sentence}</source>
            <translation>Échantillon {row}, caractéristique {number} : {sentence}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="33" />
            <source>Significant (SC)</source>
            <translation>Significative (SC)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="34" />
            <source>Standard</source>
            <translation>Standard</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/evidence.py" line="117" />
            <source>Test report</source>
            <translation>Rapport d'essai</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/laboratories.py" line="105" />
            <source>The ISO/IEC 17025 accreditation {accreditation} of {laboratory} expired on {expired}, before this test: the report cannot stand as qualified laboratory documentation (PPAP element 12).</source>
            <translation>L’accréditation ISO/IEC 17025 {accreditation} de {laboratory} a expiré le {expired}, avant cet essai : le rapport ne peut pas servir de documentation de laboratoire qualifié (élément PPAP 12).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/evidence.py" line="253" />
            <source>The external laboratory has no ISO/IEC 17025 accreditation reference; PPAP element 12 asks for one.</source>
            <translation>Le laboratoire externe n'a pas de référence d'accréditation ISO/IEC 17025 ; l'élément PPAP 12 en exige une.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/aqdef_import.py" line="220" />
            <source>The file is for part {file} (K1001), not {part}: check that it is the right file.</source>
            <translation>Le fichier concerne la pièce {file} (K1001), pas {part} : vérifiez que c'est le bon fichier.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="448" />
            <source>The measurement system tells {ndc} distinct categories of parts apart; at least 5 are required: unacceptable.</source>
            <translation>Le système de mesure distingue {ndc} catégories de pièces ; il en faut au moins 5 : inacceptable.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="395" />
            <source>The operator × part interaction is not significant (p = {p}, above 0.25): it is pooled into the repeatability.</source>
            <translation>L'interaction opérateur × pièce n'est pas significative (p = {p}, au-dessus de 0,25) : elle est regroupée avec la répétabilité.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="304" />
            <source>The readings do not look normally distributed (Anderson-Darling A² = {a2}, p = {p}): the indices assume a normal distribution; agree the criteria with the customer.</source>
            <translation>Les relevés ne semblent pas suivre une loi normale (Anderson-Darling A² = {a2}, p = {p}) : les indices supposent une loi normale ; convenez des critères avec le client.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="218" />
            <source>Total</source>
            <translation>Total</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/msa.py" line="88" />
            <source>Unacceptable</source>
            <translation>Inacceptable</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="39" />
            <source>Variable (measured)</source>
            <translation>Variable (mesurée)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="143" />
            <source>{c} defects (u = {u} per unit)</source>
            <translation>{c} défauts (u = {u} par unité)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="273" />
            <source>{n} readings in {subgroups} subgroups: a preliminary study wants at least {wanted} readings from {groups} subgroups; the customer must agree to the smaller study.</source>
            <translation>{n} relevés en {subgroups} sous-groupes : une étude préliminaire demande au moins {wanted} relevés en {groups} sous-groupes ; le client doit accepter l’étude plus petite.</translation>
        </message>
        <message>
            <source>{n} readings: enough for an estimate; about {wanted} are wanted.</source>
            <translation type="vanished">{n} mesures : suffisant pour une estimation ; environ {wanted} sont souhaitées.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/attributes.py" line="139" />
            <source>{n} samples: {np} nonconforming (np = {np}, p = {p})</source>
            <translation>{n} échantillons : {np} non conformes (np = {np}, p = {p})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/laboratories.py" line="112" />
            <source>{standard} is outside the ISO/IEC 17025 accreditation scope of {laboratory}.</source>
            <translation>{standard} est hors de la portée d’accréditation ISO/IEC 17025 de {laboratory}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/measurement_grid.py" line="377" />
            <source>{value} is outside the limits of characteristic {number} ({limits}).</source>
            <translation>{value} est hors des limites de la caractéristique {number} ({limits}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="92" />
            <source>σ within from the average moving range (MR̄ / 1.128)</source>
            <translation>σ intra à partir de l'étendue mobile moyenne (MR̄ / 1.128)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/capability.py" line="94" />
            <source>σ within from the average subgroup range (R̄ / d2)</source>
            <translation>σ intra à partir de l'étendue moyenne des sous-groupes (R̄ / d2)</translation>
        </message>
    </context>
    <context>
        <name>EvidenceCharacteristicsWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="86" />
            <source>Add characteristic…</source>
            <translation>Ajouter une caractéristique…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="92" />
            <source>Capability</source>
            <translation>Capabilité</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="88" />
            <source>Change…</source>
            <translation>Modifier…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="91" />
            <source>Class</source>
            <translation>Classe</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="90" />
            <source>Description</source>
            <translation>Description</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="127" />
            <source>Edited at two sites: a person must merge the versions.</source>
            <translation>Modifiée sur deux sites : une personne doit fusionner les versions.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="91" />
            <source>Gauge</source>
            <translation>Instrument</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="87" />
            <source>Import characteristics…</source>
            <translation>Importer des caractéristiques…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="91" />
            <source>Latest result</source>
            <translation>Dernier résultat</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="90" />
            <source>Limits</source>
            <translation>Limites</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="149" />
            <source>No readings</source>
            <translation>Aucune mesure</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="90" />
            <source>No.</source>
            <translation>N°</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="90" />
            <source>Nominal</source>
            <translation>Nominal</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="152" />
            <source>Not computable</source>
            <translation>Non calculable</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="147" />
            <source>Only {n} readings (30 needed)</source>
            <translation>Seulement {n} mesures (30 nécessaires)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="92" />
            <source>Ppk</source>
            <translation>Ppk</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_characteristics_widget.py" line="91" />
            <source>Unit</source>
            <translation>Unité</translation>
        </message>
    </context>
    <context>
        <name>EvidenceFilesWidget</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="238" />
            <source>%Ln files attached.</source>
            <translation>
                <numerusform>%Ln fichier joint.</numerusform>
                <numerusform>%Ln fichiers joints.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="197" />
            <source>Attach files</source>
            <translation>Joindre des fichiers</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="127" />
            <source>Attach files…</source>
            <translation>Joindre des fichiers…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="157" />
            <source>Attach to report {number}</source>
            <translation>Joindre au rapport {number}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="155" />
            <source>Attach to the part</source>
            <translation>Joindre à la pièce</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="142" />
            <source>Attached</source>
            <translation>Joint le</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="228" />
            <source>Attaching files</source>
            <translation>Ajout des fichiers joints</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="132" />
            <source>Drop files here to attach them (PDF, PNG, JPEG, TIFF, CSV, XLSX, TXT, DXF, STEP).</source>
            <translation>Déposez des fichiers ici pour les joindre (PDF, PNG, JPEG, TIFF, CSV, XLSX, TXT, DXF, STEP).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="141" />
            <source>File</source>
            <translation>Fichier</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="141" />
            <source>Kind</source>
            <translation>Type</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="135" />
            <source>Kind: automatic (photo for images)</source>
            <translation>Type : automatique (photo pour les images)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="128" />
            <source>Open</source>
            <translation>Ouvrir</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="141" />
            <source>Report</source>
            <translation>Rapport</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="142" />
            <source>SHA-256</source>
            <translation>SHA-256</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="288" />
            <source>Save a copy</source>
            <translation>Enregistrer une copie</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="129" />
            <source>Save a copy…</source>
            <translation>Enregistrer une copie…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="299" />
            <source>Saved {path}</source>
            <translation>{path} enregistré</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="141" />
            <source>Size</source>
            <translation>Taille</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="308" />
            <source>Why is {name} withdrawn? (The record keeps its history.)</source>
            <translation>Pourquoi {name} est-il retiré ? (L'enregistrement conserve son historique.)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="307" />
            <source>Withdraw a file</source>
            <translation>Retirer un fichier</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="130" />
            <source>Withdraw…</source>
            <translation>Retirer…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="319" />
            <source>{name} was withdrawn.</source>
            <translation>{name} a été retiré.</translation>
        </message>
        <message>
            <source>{n} file(s) attached.</source>
            <translation type="vanished">{n} fichier(s) joint(s).</translation>
        </message>
    </context>
    <context>
        <name>EvidenceImportDialog</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="277" />
            <source>%Ln characteristics</source>
            <translation>
                <numerusform>%Ln caractéristique</numerusform>
                <numerusform>%Ln caractéristiques</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="288" />
            <source>%Ln characteristics would be added.</source>
            <translation>
                <numerusform>%Ln caractéristique serait ajoutée.</numerusform>
                <numerusform>%Ln caractéristiques seraient ajoutées.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="276" />
            <source>%Ln readings</source>
            <translation>
                <numerusform>%Ln mesure</numerusform>
                <numerusform>%Ln mesures</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="191" />
            <source>(automatic)</source>
            <translation>(automatique)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="192" />
            <source>(not in the file)</source>
            <translation>(absent du fichier)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="388" />
            <source>(the file)</source>
            <translation>(le fichier)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="213" />
            <source>AQDEF (*.dfq *.dfd *.dfx)</source>
            <translation>AQDEF (*.dfq *.dfd *.dfx)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="149" />
            <source>Apply</source>
            <translation>Appliquer</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="177" />
            <source>Characteristic</source>
            <translation>Caractéristique</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="268" />
            <source>Characteristic {number} is not on this part.</source>
            <translation>La caractéristique {number} n'existe pas sur cette pièce.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="146" />
            <source>Choose a file…</source>
            <translation>Choisir un fichier…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="229" />
            <source>Choose the description (.dfd) of {name}</source>
            <translation>Choisir la description (.dfd) de {name}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="226" />
            <source>Choose the values (.dfx) of {name}</source>
            <translation>Choisir les valeurs (.dfx) de {name}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="397" />
            <source>Chosen by hand</source>
            <translation>Choisie à la main</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="284" />
            <source>Class</source>
            <translation>Classe</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="176" />
            <source>Class (CC / SC)</source>
            <translation>Classe (CC / SC)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="172" />
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="270" />
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="283" />
            <source>Description</source>
            <translation>Description</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="396" />
            <source>Found by its column names</source>
            <translation>Trouvée par ses noms de colonnes</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="177" />
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="178" />
            <source>Gauge</source>
            <translation>Instrument</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="148" />
            <source>Header row:</source>
            <translation>Ligne d’en-tête :</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="291" />
            <source>Ignored columns: {names}</source>
            <translation>Colonnes ignorées : {names}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="144" />
            <source>Import characteristics</source>
            <translation>Importer des caractéristiques</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="145" />
            <source>Import measurements</source>
            <translation>Importer des mesures</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="284" />
            <source>Limits</source>
            <translation>Limites</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="282" />
            <source>Line</source>
            <translation>Ligne</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="174" />
            <source>Lower limit</source>
            <translation>Limite inférieure</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="173" />
            <source>Lower tolerance</source>
            <translation>Tolérance inférieure</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="176" />
            <source>Measuring method</source>
            <translation>Méthode de mesure</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="397" />
            <source>No header row found</source>
            <translation>Aucune ligne d’en-tête trouvée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="270" />
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="283" />
            <source>No.</source>
            <translation>N°</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="173" />
            <source>Nominal</source>
            <translation>Nominal</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="172" />
            <source>Number (balloon)</source>
            <translation>Numéro (bulle)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="347" />
            <source>Operators: {names}</source>
            <translation>Opérateurs : {names}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="271" />
            <source>Outside the limits</source>
            <translation>Hors limites</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="178" />
            <source>Reading</source>
            <translation>Mesure</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="239" />
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="418" />
            <source>Reading {name}</source>
            <translation>Lecture de {name}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="270" />
            <source>Readings</source>
            <translation>Mesures</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="344" />
            <source>Readings taken from {first} to {last}.</source>
            <translation>Mesures prises du {first} au {last}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="342" />
            <source>Readings taken on {day}.</source>
            <translation>Mesures prises le {day}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="164" />
            <source>Report type</source>
            <translation>Type de rapport</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="282" />
            <source>Row</source>
            <translation>Ligne</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="147" />
            <source>Sheet:</source>
            <translation>Feuille :</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="166" />
            <source>Standard</source>
            <translation>Norme</translation>
        </message>
        <message>
            <source>Tables (*.csv *.xlsx *.txt)</source>
            <translation type="vanished">Tableaux (*.csv *.xlsx *.txt)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="212" />
            <source>Tables (*.csv *.xlsx *.xls *.ods *.txt)</source>
            <translation>Tableaux (*.csv *.xlsx *.xls *.ods *.txt)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="165" />
            <source>Tested on</source>
            <translation>Date d'essai</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="175" />
            <source>Unit</source>
            <translation>Unité</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="175" />
            <source>Upper limit</source>
            <translation>Limite supérieure</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="174" />
            <source>Upper tolerance</source>
            <translation>Tolérance supérieure</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="271" />
            <source>Verdict</source>
            <translation>Verdict</translation>
        </message>
        <message>
            <source>{n} characteristics would be added.</source>
            <translation type="vanished">{n} caractéristiques seraient ajoutées.</translation>
        </message>
        <message>
            <source>{n} readings of {c} characteristics ({shape} layout).</source>
            <translation type="vanished">{n} mesures de {c} caractéristiques (format {shape}).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="275" />
            <source>{readings} of {characteristics} ({shape} layout).</source>
            <translation>{readings} de {characteristics} (format {shape}).</translation>
        </message>
    </context>
    <context>
        <name>EvidenceWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="308" />
            <source>#{number} {description}: {counts}</source>
            <translation>n° {number} {description} : {counts}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="319" />
            <source>#{number}: gauge {gauge} was past its calibration due date ({due}) on {day}; an impact assessment is needed (IATF 16949 7.1.5.2.1).</source>
            <translation>N° {number} : l'instrument {gauge} avait dépassé son échéance d'étalonnage ({due}) le {day} ; une analyse d'impact est nécessaire (IATF 16949 7.1.5.2.1).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="212" />
            <source>Characteristics</source>
            <translation>Caractéristiques</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="215" />
            <source>Correct this report…</source>
            <translation>Corriger ce rapport…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="314" />
            <source>Corrects an earlier report: {reason}</source>
            <translation>Corrige un rapport antérieur : {reason}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="252" />
            <source>Current</source>
            <translation>En vigueur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="207" />
            <source>Evidence</source>
            <translation>Preuves</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="211" />
            <source>Files</source>
            <translation>Fichiers</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="214" />
            <source>Import measurements…</source>
            <translation>Importer des mesures…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="213" />
            <source>New report…</source>
            <translation>Nouveau rapport…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="217" />
            <source>Number</source>
            <translation>Numéro</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="210" />
            <source>Reports</source>
            <translation>Rapports</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="217" />
            <source>Standard</source>
            <translation>Norme</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="218" />
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="252" />
            <source>Superseded</source>
            <translation>Remplacé</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="312" />
            <source>Superseded by a correction; kept as recorded.</source>
            <translation>Remplacé par une correction ; conservé tel qu'enregistré.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="217" />
            <source>Tested on</source>
            <translation>Date d'essai</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="217" />
            <source>Type</source>
            <translation>Type</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="218" />
            <source>Verdict</source>
            <translation>Verdict</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/evidence_widget.py" line="254" />
            <source>gauge out of calibration</source>
            <translation>instrument hors étalonnage</translation>
        </message>
    </context>
    <context>
        <name>ExportDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="101" />
            <source>Any site: everything</source>
            <translation>Tout site : tout exporter</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="98" />
            <source>Choose…</source>
            <translation>Choisir…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="97" />
            <source>Everything, even what the site has already seen</source>
            <translation>Tout, même ce que le site a déjà reçu</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="127" />
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="94" />
            <source>Export a package</source>
            <translation>Exporter un paquet</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="96" />
            <source>File</source>
            <translation>Fichier</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="95" />
            <source>For</source>
            <translation>Destinataire</translation>
        </message>
        <message>
            <source>PartDesk packages (*.partdesk *.zip)</source>
            <translation type="vanished">Paquets PartDesk (*.partdesk *.zip)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="129" />
            <source>PartDesk packages (*.partdesk *.zip);;All files (*)</source>
            <translation>Paquets PartDesk (*.partdesk *.zip);;Tous les fichiers (*)</translation>
        </message>
    </context>
    <context>
        <name>Families</name>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="54" />
            <source>Battery</source>
            <translation>Batterie</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="44" />
            <source>Body stamping</source>
            <translation>Emboutissage de caisse</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="46" />
            <source>Casting</source>
            <translation>Fonderie</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="48" />
            <source>Fastener</source>
            <translation>Fixation</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="47" />
            <source>Forging</source>
            <translation>Forge</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="49" />
            <source>Glass</source>
            <translation>Vitrage</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="52" />
            <source>Harness</source>
            <translation>Faisceau électrique</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="55" />
            <source>Other</source>
            <translation>Autre</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="50" />
            <source>Plastic trim</source>
            <translation>Garniture plastique</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="51" />
            <source>Seat</source>
            <translation>Siège</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="53" />
            <source>Tyre</source>
            <translation>Pneumatique</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="45" />
            <source>Welded assembly</source>
            <translation>Ensemble soudé</translation>
        </message>
    </context>
    <context>
        <name>FilterBanner</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/filter_banner.py" line="59" />
            <source>(shown: {n})</source>
            <translation>(affichés : {n})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/filter_banner.py" line="53" />
            <source>Back to dashboard</source>
            <translation>Retour au tableau de bord</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/filter_banner.py" line="52" />
            <source>Show all</source>
            <translation>Tout afficher</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/filter_banner.py" line="57" />
            <source>Showing only: {filter}</source>
            <translation>Affichage limité à : {filter}</translation>
        </message>
    </context>
    <context>
        <name>FirstRunDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="199" />
            <source>Continue</source>
            <translation>Continuer</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="198" />
            <source>Create</source>
            <translation>Créer</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="192" />
            <source>First administrator</source>
            <translation>Premier administrateur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="194" />
            <source>Full name</source>
            <translation>Nom complet</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="188" />
            <source>Kind of site</source>
            <translation>Type de site</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="202" />
            <source>Other sites enrol this site's key by this fingerprint: read it to their administrator by telephone or in person, never only by e-mail.</source>
            <translation>Les autres sites enregistrent la clé de ce site grâce à cette empreinte : lisez-la à leur administrateur par téléphone ou en personne, jamais seulement par courriel.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="178" />
            <source>PartDesk — First start</source>
            <translation>PartDesk — Premier démarrage</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="195" />
            <source>Password</source>
            <translation>Mot de passe</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="200" />
            <source>Quit</source>
            <translation>Quitter</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="196" />
            <source>Repeat the password</source>
            <translation>Répétez le mot de passe</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="179" />
            <source>Set up this data folder</source>
            <translation>Configurer ce dossier de données</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="184" />
            <source>Site</source>
            <translation>Site</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="185" />
            <source>Site code</source>
            <translation>Code du site</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="187" />
            <source>Site name</source>
            <translation>Nom du site</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="205" />
            <source>Site {code} — {name} is ready. Its key fingerprint:</source>
            <translation>Le site {code} — {name} est prêt. Empreinte de sa clé :</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="180" />
            <source>This data folder is ready</source>
            <translation>Ce dossier de données est prêt</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="182" />
            <source>This folder has no site yet. Name the site that works here and its first administrator; the administrator then adds the other people.</source>
            <translation>Ce dossier n'a pas encore de site. Indiquez le site qui travaille ici et son premier administrateur ; l'administrateur ajoutera ensuite les autres personnes.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="193" />
            <source>User name</source>
            <translation>Nom d'utilisateur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/first_run_dialog.py" line="186" />
            <source>e.g. MSR</source>
            <translation>p. ex. MSR</translation>
        </message>
    </context>
    <context>
        <name>GaugeDialog</name>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="92" />
            <source>Add a gauge</source>
            <translation>Ajouter un instrument de mesure</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="96" />
            <source>Calibrated on</source>
            <translation>Étalonné le</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="96" />
            <source>Calibration due on</source>
            <translation>Échéance d'étalonnage</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="95" />
            <source>Identifier</source>
            <translation>Identifiant</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="95" />
            <source>Range</source>
            <translation>Étendue de mesure</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="93" />
            <source>Record a calibration</source>
            <translation>Enregistrer un étalonnage</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="95" />
            <source>Resolution</source>
            <translation>Résolution</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="95" />
            <source>Type</source>
            <translation>Type</translation>
        </message>
    </context>
    <context>
        <name>GaugesPage</name>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="189" />
            <source>Add gauge…</source>
            <translation>Ajouter un instrument…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="193" />
            <source>Calibrated on</source>
            <translation>Étalonné le</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="193" />
            <source>Due on</source>
            <translation>Échéance</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="137" />
            <source>Gauges</source>
            <translation>Instruments de mesure</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="187" />
            <source>Gauges register</source>
            <translation>Registre des instruments de mesure</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="192" />
            <source>Identifier</source>
            <translation>Identifiant</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="223" />
            <source>In calibration</source>
            <translation>Étalonné</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="157" />
            <source>No gauge matches this search.</source>
            <translation>Aucun instrument ne correspond à cette recherche.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="158" />
            <source>No gauge registered yet: add one with “Add gauge…”.</source>
            <translation>Aucun instrument enregistré pour l’instant : ajoutez-en un avec « Ajouter un instrument… ».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="223" />
            <source>Overdue</source>
            <translation>Échu</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="233" />
            <source>Past its calibration due date: results taken with it need an impact assessment.</source>
            <translation>Échéance d'étalonnage dépassée : les résultats obtenus avec cet instrument nécessitent une analyse d'impact.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="192" />
            <source>Range</source>
            <translation>Étendue de mesure</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="190" />
            <source>Record calibration…</source>
            <translation>Enregistrer un étalonnage…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="192" />
            <source>Resolution</source>
            <translation>Résolution</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="188" />
            <source>Search by identifier or type</source>
            <translation>Rechercher par identifiant ou type</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="193" />
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/gauges_page.py" line="192" />
            <source>Type</source>
            <translation>Type</translation>
        </message>
    </context>
    <context>
        <name>HistogramWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/histogram_widget.py" line="80" />
            <source>Choose a characteristic to see its readings.</source>
            <translation>Choisissez une caractéristique pour voir ses mesures.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/histogram_widget.py" line="205" />
            <source>LSL {value}</source>
            <translation>LIS {value}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/histogram_widget.py" line="214" />
            <source>Mean {value}</source>
            <translation>Moyenne {value}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/histogram_widget.py" line="211" />
            <source>Nominal {value}</source>
            <translation>Nominal {value}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/histogram_widget.py" line="208" />
            <source>USL {value}</source>
            <translation>LSS {value}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/histogram_widget.py" line="106" />
            <source>n = {n}</source>
            <translation>n = {n}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/histogram_widget.py" line="110" />
            <source>n = {n}   mean {mean}   Cpk {cpk}   Ppk {ppk}</source>
            <translation>n = {n}   moyenne {mean}   Cpk {cpk}   Ppk {ppk}</translation>
        </message>
    </context>
    <context>
        <name>HistoryWidget</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="112" />
            <source>%Ln revisions</source>
            <translation>
                <numerusform>%Ln révision</numerusform>
                <numerusform>%Ln révisions</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="94" />
            <source>Deleted: {reason}</source>
            <translation>Supprimé : {reason}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="82" />
            <source>Loading…</source>
            <translation>Chargement…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="96" />
            <source>Merged: {reason}</source>
            <translation>Fusionné : {reason}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="71" />
            <source>Site / new value</source>
            <translation>Site / nouvelle valeur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="70" />
            <source>When / field</source>
            <translation>Quand / champ</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="70" />
            <source>Who / old value</source>
            <translation>Qui / ancienne valeur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="71" />
            <source>Why</source>
            <translation>Pourquoi</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="31" />
            <source>no</source>
            <translation>non</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="31" />
            <source>yes</source>
            <translation>oui</translation>
        </message>
        <message>
            <source>{count} revisions</source>
            <translation type="vanished">{count} révisions</translation>
        </message>
    </context>
    <context>
        <name>ImportPreviewDialog</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="189" />
            <source>%Ln revisions compete with edits made here; the records will wait for a merge.</source>
            <translation>
                <numerusform>%Ln révision est en concurrence avec des modifications faites ici ; l’enregistrement attendra une fusion.</numerusform>
                <numerusform>%Ln révisions sont en concurrence avec des modifications faites ici ; les enregistrements attendront une fusion.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="174" />
            <source>Already here</source>
            <translation>Déjà présentes</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="174" />
            <source>Conflicting</source>
            <translation>En conflit</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="194" />
            <source>Import %Ln new revisions</source>
            <translation>
                <numerusform>Importer %Ln nouvelle révision</numerusform>
                <numerusform>Importer %Ln nouvelles révisions</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="172" />
            <source>Import a package</source>
            <translation>Importer un paquet</translation>
        </message>
        <message>
            <source>Import {n} new revisions</source>
            <translation type="vanished">Importer {n} nouvelles révisions</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="185" />
            <source>It is older than the last package from this site ({last}); only what is missing will be added.</source>
            <translation>Il est plus ancien que le dernier paquet de ce site ({last}) ; seul ce qui manque sera ajouté.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="173" />
            <source>New</source>
            <translation>Nouvelles</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="176" />
            <source>Package {seq} from {code} ({name}), made {at}. The signature and every file were checked. Files: {new_blobs} new of {blobs}.</source>
            <translation>Paquet n° {seq} de {code} ({name}), créé le {at}. La signature et chaque fichier ont été vérifiés. Fichiers : {new_blobs} nouveaux sur {blobs}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="173" />
            <source>Record type</source>
            <translation>Type d'enregistrement</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="182" />
            <source>This package is already known here (imported before, or made here); importing it changes nothing.</source>
            <translation>Ce paquet est déjà connu ici (importé auparavant ou créé ici) ; l'importer ne change rien.</translation>
        </message>
        <message>
            <source>{n} revisions compete with edits made here; the records will wait for a merge.</source>
            <translation type="vanished">{n} révisions sont en concurrence avec des modifications faites ici ; les enregistrements attendront une fusion.</translation>
        </message>
    </context>
    <context>
        <name>Integration</name>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="37" />
            <source>Accessory</source>
            <translation>Accessoire</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="195" />
            <source>At risk</source>
            <translation>À risque</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="197" />
            <source>Frozen</source>
            <translation>Gelé</translation>
        </message>
        <message>
            <source>Grace period (supply cut by 25 %)</source>
            <translation type="vanished">Délai supplémentaire (approvisionnement réduit de 25 %)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="196" />
            <source>Grace period (supply cut)</source>
            <translation>Délai supplémentaire (approvisionnement réduit)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/milestones.py" line="194" />
            <source>On track</source>
            <translation>Dans les temps</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="35" />
            <source>Set</source>
            <translation>Ensemble</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="36" />
            <source>Sub-set</source>
            <translation>Sous-ensemble</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="57" />
            <source>counts: approved and in series supply</source>
            <translation>compte : agréé et livré en série</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="58" />
            <source>no local part linked</source>
            <translation>aucune pièce locale liée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="59" />
            <source>no valid approval</source>
            <translation>aucune approbation valide</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/integration.py" line="61" />
            <source>series supply not started</source>
            <translation>livraisons en série pas commencées</translation>
        </message>
    </context>
    <context>
        <name>Laboratories</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="242" />
            <source>Accreditation</source>
            <translation>Accréditation</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="106" />
            <source>Accreditation body</source>
            <translation>Organisme d’accréditation</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="321" />
            <source>Add a laboratory…</source>
            <translation>Ajouter un laboratoire…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="262" />
            <source>Co-signed by (3.2)</source>
            <translation>Cosigné par (3.2)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="180" />
            <source>Co-signed by (purchaser's representative or regulatory inspector)</source>
            <translation>Cosigné par (représentant de l’acheteur ou inspecteur réglementaire)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="42" />
            <source>Declaration of compliance with the order</source>
            <translation>Attestation de conformité à la commande</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="257" />
            <source>Designation (EN 10204, French)</source>
            <translation>Désignation (EN 10204, en français)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="256" />
            <source>EN 10204 document</source>
            <translation>Document EN 10204</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="175" />
            <source>EN 10204 inspection document</source>
            <translation>Document de contrôle EN 10204</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="323" />
            <source>EN 10204 inspection documents</source>
            <translation>Documents de contrôle EN 10204</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="59" />
            <source>Expired</source>
            <translation>Expirée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="61" />
            <source>Expires within 60 days</source>
            <translation>Expire dans les 60 jours</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="177" />
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="259" />
            <source>Heat number</source>
            <translation>Numéro de coulée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="107" />
            <source>ISO/IEC 17025 accreditation number</source>
            <translation>Numéro d’accréditation ISO/IEC 17025</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="45" />
            <source>Inspection certificate 3.1</source>
            <translation>Certificat de réception 3.1</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="46" />
            <source>Inspection certificate 3.2</source>
            <translation>Certificat de réception 3.2</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="260" />
            <source>Inspection representative</source>
            <translation>Représentant du contrôle</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="241" />
            <source>Laboratory</source>
            <translation>Laboratoire</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="105" />
            <source>Laboratory (as named on its reports)</source>
            <translation>Laboratoire (tel que nommé sur ses rapports)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="104" />
            <source>Laboratory accreditation</source>
            <translation>Accréditation du laboratoire</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="178" />
            <source>Manufacturer's authorised inspection representative</source>
            <translation>Représentant autorisé du contrôle du fabricant</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="57" />
            <source>Not accredited</source>
            <translation>Non accrédité</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="324" />
            <source>Record an inspection document…</source>
            <translation>Enregistrer un document de contrôle…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="322" />
            <source>Renew the accreditation…</source>
            <translation>Renouveler l’accréditation…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="255" />
            <source>Report</source>
            <translation>Rapport</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="176" />
            <source>Report number</source>
            <translation>Numéro de rapport</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="244" />
            <source>Scope</source>
            <translation>Portée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="108" />
            <source>Scope (test methods, separated by ;)</source>
            <translation>Portée (méthodes d’essai, séparées par ;)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="247" />
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/laboratories.py" line="44" />
            <source>Test report</source>
            <translation>Rapport d’essai</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="179" />
            <source>Their function</source>
            <translation>Sa fonction</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="182" />
            <source>Their organisation</source>
            <translation>Son organisme</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="176" />
            <source>Type</source>
            <translation>Type</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="62" />
            <source>Valid</source>
            <translation>Valable</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="109" />
            <location filename="../../desktop_app/ui/widgets/laboratories_widget.py" line="245" />
            <source>Valid until</source>
            <translation>Valable jusqu’au</translation>
        </message>
    </context>
    <context>
        <name>LinkDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="141" />
            <source>Expected approval (forecast)</source>
            <translation>Approbation attendue (prévision)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="144" />
            <source>Link a local part to the set</source>
            <translation>Lier une pièce locale à l'ensemble</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="138" />
            <source>Local part</source>
            <translation>Pièce locale</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="142" />
            <source>Planned supply start (forecast)</source>
            <translation>Début des livraisons prévu (prévision)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="140" />
            <source>Series supply started on</source>
            <translation>Livraisons en série depuis le</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="139" />
            <source>Share of the set (%)</source>
            <translation>Part de l'ensemble (%)</translation>
        </message>
    </context>
    <context>
        <name>LockWidget</name>
        <message>
            <location filename="../../desktop_app/ui/idle_lock.py" line="189" />
            <source>PartDesk is locked</source>
            <translation>PartDesk est verrouillé</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/idle_lock.py" line="192" />
            <source>Password</source>
            <translation>Mot de passe</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/idle_lock.py" line="194" />
            <source>Sign out</source>
            <translation>Se déconnecter</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/idle_lock.py" line="193" />
            <source>Unlock</source>
            <translation>Déverrouiller</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/idle_lock.py" line="190" />
            <source>{name} ({user}): enter your password to continue.</source>
            <translation>{name} ({user}) : saisissez votre mot de passe pour continuer.</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="216" />
            <source>&amp;About PartDesk</source>
            <translation>À &amp;propos de PartDesk</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="210" />
            <source>&amp;Change password…</source>
            <translation>&amp;Changer de mot de passe…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="208" />
            <source>&amp;File</source>
            <translation>&amp;Fichier</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="214" />
            <source>&amp;Help</source>
            <translation>&amp;Aide</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="211" />
            <source>&amp;Lock now</source>
            <translation>&amp;Verrouiller maintenant</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="213" />
            <source>&amp;Quit</source>
            <translation>&amp;Quitter</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="209" />
            <source>&amp;Settings…</source>
            <translation>&amp;Paramètres…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="315" />
            <source>About PartDesk</source>
            <translation>À propos de PartDesk</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="215" />
            <source>Collect &amp;diagnostics…</source>
            <translation>Collecter le &amp;diagnostic…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="357" />
            <source>Collect diagnostics</source>
            <translation>Collecter le diagnostic</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="346" />
            <source>Collecting diagnostics…</source>
            <translation>Collecte du diagnostic…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="350" />
            <source>Diagnostics written to {file}. It holds versions, settings, the result of the checks and recent log lines; no data, keys or passwords.</source>
            <translation>Diagnostic écrit dans {file}. Il contient les versions, les réglages, le résultat des vérifications et les dernières lignes du journal ; ni données, ni clés, ni mots de passe.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="316" />
            <source>PartDesk {version}
Parts, test evidence and PPAP certification, offline first.

Data folder: {folder}</source>
            <translation>PartDesk {version}
Pièces, preuves d'essai et approbation PPAP, d'abord hors ligne.

Dossier de données : {folder}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="197" />
            <source>PartDesk — {code} {name}</source>
            <translation>PartDesk — {code} {name}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="328" />
            <source>Save diagnostics for plant IT</source>
            <translation>Enregistrer le diagnostic pour l'informatique de l'usine</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="212" />
            <source>Sign &amp;out</source>
            <translation>Se &amp;déconnecter</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="204" />
            <source>Site {code} — {name}</source>
            <translation>Site {code} — {name}</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/main_window.py" line="354" />
            <source>The checks found %Ln problems; they are listed in verify.txt.</source>
            <translation>
                <numerusform>Les vérifications ont trouvé %Ln problème ; il est listé dans verify.txt.</numerusform>
                <numerusform>Les vérifications ont trouvé %Ln problèmes ; ils sont listés dans verify.txt.</numerusform>
            </translation>
        </message>
        <message>
            <source>The checks found {count} problems; they are listed in verify.txt.</source>
            <translation type="vanished">Les vérifications ont trouvé {count} problèmes ; ils sont listés dans verify.txt.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="207" />
            <source>Working…</source>
            <translation>Traitement en cours…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/main_window.py" line="329" />
            <source>Zip archive (*.zip)</source>
            <translation>Archive zip (*.zip)</translation>
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
            <translation>%GRR (tolérance)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="214" />
            <source>%GRR (variation)</source>
            <translation>%GRR (variation)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="110" />
            <source>A CSV or Excel sheet with one row per reading: operator, part, trial and value (a number for a gauge R&amp;R; OK or NG for an attribute agreement study, with the part's right decision in a reference column). At least 2 operators, 5 parts and 2 trials.</source>
            <translation>Une feuille CSV ou Excel avec une ligne par mesure : opérateur, pièce, essai et valeur (un nombre pour une étude R&amp;R ; OK ou NG pour une étude de concordance par attributs, avec la bonne décision pour la pièce dans une colonne de référence). Au moins 2 opérateurs, 5 pièces et 2 essais.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="115" />
            <source>Browse…</source>
            <translation>Parcourir…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="140" />
            <source>Choose the sheet of readings.</source>
            <translation>Choisissez la feuille de mesures.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="121" />
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="216" />
            <source>Conducted by</source>
            <translation>Réalisée par</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="213" />
            <source>Date</source>
            <translation>Date</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="54" />
            <source>Invalid: the readings make no study</source>
            <translation>Invalide : les mesures ne forment pas une étude</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="263" />
            <source>Measurement system analysis of {gauge}</source>
            <translation>Analyse du système de mesure de {gauge}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="260" />
            <source>Measurement system analysis of {gauge}: no study yet.</source>
            <translation>Analyse du système de mesure de {gauge} : aucune étude pour l'instant.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="257" />
            <source>Measurement system analysis: choose a gauge in the register.</source>
            <translation>Analyse du système de mesure : choisissez un instrument dans le registre.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="122" />
            <source>Note</source>
            <translation>Note</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="214" />
            <source>Operators × parts × trials</source>
            <translation>Opérateurs × pièces × essais</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="120" />
            <source>Readings</source>
            <translation>Mesures</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="132" />
            <source>Readings of the study</source>
            <translation>Mesures de l'étude</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="211" />
            <source>Record a study from a file…</source>
            <translation>Enregistrer une étude depuis un fichier…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="108" />
            <source>Record an MSA study of {gauge}</source>
            <translation>Enregistrer une étude MSA de {gauge}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="133" />
            <source>Sheets (*.csv *.xlsx *.xls *.xlsb *.ods);;All files (*)</source>
            <translation>Feuilles (*.csv *.xlsx *.xls *.xlsb *.ods);;Tous les fichiers (*)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="213" />
            <source>Study</source>
            <translation>Étude</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="121" />
            <source>Study date</source>
            <translation>Date de l'étude</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="120" />
            <source>Tolerance</source>
            <translation>Tolérance</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="116" />
            <source>USL − LSL, for %GRR of the tolerance</source>
            <translation>LSS − LIS, pour le %GRR de la tolérance</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="216" />
            <source>Verdict</source>
            <translation>Verdict</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/msa_widget.py" line="215" />
            <source>ndc / effectiveness</source>
            <translation>ndc / efficacité</translation>
        </message>
    </context>
    <context>
        <name>PageErrorWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/page_error_widget.py" line="38" />
            <source>This page could not be opened.</source>
            <translation>Cette page n'a pas pu être ouverte.</translation>
        </message>
    </context>
    <context>
        <name>PartDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="337" />
            <source>A new drawing revision keeps the part number.</source>
            <translation>Une nouvelle révision de plan garde la référence de la pièce.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="339" />
            <source>A new drawing revision starts in development.</source>
            <translation>Une nouvelle révision de plan commence en développement.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="204" />
            <source>Arabic</source>
            <translation>Arabe</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="348" />
            <source>Cancel</source>
            <translation>Annuler</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="205" />
            <source>Chinese</source>
            <translation>Chinois</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="348" />
            <source>Close</source>
            <translation>Fermer</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="186" />
            <source>Component family</source>
            <translation>Famille de composants</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="185" />
            <source>Designation</source>
            <translation>Désignation</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="201" />
            <source>Designation ({language})</source>
            <translation>Désignation ({language})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="213" />
            <source>Designations</source>
            <translation>Désignations</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="212" />
            <source>Details</source>
            <translation>Détails</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="191" />
            <source>Drawing reference</source>
            <translation>Référence du plan</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="184" />
            <source>Drawing revision</source>
            <translation>Indice de plan</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="205" />
            <source>English</source>
            <translation>Anglais</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="204" />
            <source>French</source>
            <translation>Français</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="189" />
            <source>Grade</source>
            <translation>Nuance</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="214" />
            <source>History</source>
            <translation>Historique</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="194" />
            <source>Lifecycle status</source>
            <translation>Statut du cycle de vie</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="322" />
            <source>Locked: this revision is {status}. Make a new drawing revision to change it.</source>
            <translation>Verrouillé : cette révision est « {status} ». Créez une nouvelle révision de plan pour la modifier.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="220" />
            <source>Mark obsolete</source>
            <translation>Déclarer obsolète</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="190" />
            <source>Mass (kg)</source>
            <translation>Masse (kg)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="189" />
            <source>Material</source>
            <translation>Matière</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="219" />
            <source>New drawing revision</source>
            <translation>Nouvel indice de plan</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="275" />
            <source>New part revision</source>
            <translation>Nouvel indice de pièce</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="194" />
            <source>Notes</source>
            <translation>Remarques</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="183" />
            <source>Part number</source>
            <translation>Référence pièce</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="278" />
            <source>Part {number} revision {revision}</source>
            <translation>Pièce {number} indice {revision}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="193" />
            <source>Planned annual volume</source>
            <translation>Volume annuel prévu</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="192" />
            <source>Special characteristics (CC/SC)</source>
            <translation>Caractéristiques spéciales (CC/SC)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="187" />
            <source>Supplier</source>
            <translation>Fournisseur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="350" />
            <source>This revision is {status} and locked; make a new drawing revision to change it.</source>
            <translation>Cet indice est {status} et verrouillé ; créez un nouvel indice de plan pour le modifier.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="190" />
            <source>Unit</source>
            <translation>Unité</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="188" />
            <source>Vehicle models</source>
            <translation>Modèles de véhicule</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="211" />
            <source>e.g. 2.35</source>
            <translation>p. ex. 2.35</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="235" />
            <source>no</source>
            <translation>non</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="234" />
            <source>yes</source>
            <translation>oui</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/part_dialog.py" line="253" />
            <source>— none —</source>
            <translation>— aucun —</translation>
        </message>
    </context>
    <context>
        <name>Parts</name>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="37" />
            <source>In development</source>
            <translation>En développement</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="39" />
            <source>Obsolete</source>
            <translation>Obsolète</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/parts.py" line="38" />
            <source>Released</source>
            <translation>Diffusé</translation>
        </message>
    </context>
    <context>
        <name>PartsExport</name>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="37" />
            <source>Annual volume</source>
            <translation>Volume annuel</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="38" />
            <source>CC/SC</source>
            <translation>CC/SC</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="31" />
            <source>Designation</source>
            <translation>Désignation</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="32" />
            <source>Family</source>
            <translation>Famille</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="35" />
            <source>Mass (kg)</source>
            <translation>Masse (kg)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="34" />
            <source>Material</source>
            <translation>Matière</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="29" />
            <source>Part number</source>
            <translation>Référence pièce</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="30" />
            <source>Revision</source>
            <translation>Indice</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="39" />
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="33" />
            <source>Supplier</source>
            <translation>Fournisseur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_export.py" line="36" />
            <source>Unit</source>
            <translation>Unité</translation>
        </message>
    </context>
    <context>
        <name>PartsImport</name>
        <message>
            <source>Checking rows</source>
            <translation type="vanished">Vérification des lignes</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="89" />
            <source>Component family</source>
            <translation>Famille de composants</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="84" />
            <source>Designation</source>
            <translation>Désignation</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="86" />
            <source>Designation (Arabic)</source>
            <translation>Désignation (arabe)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="87" />
            <source>Designation (Chinese)</source>
            <translation>Désignation (chinois)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="88" />
            <source>Designation (English)</source>
            <translation>Désignation (anglais)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="85" />
            <source>Designation (French)</source>
            <translation>Désignation (français)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="96" />
            <source>Drawing reference</source>
            <translation>Référence du plan</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="83" />
            <source>Drawing revision</source>
            <translation>Indice de plan</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="93" />
            <source>Grade</source>
            <translation>Nuance</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import.py" line="371" />
            <source>Importing</source>
            <translation>Import</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="94" />
            <source>Mass (kg)</source>
            <translation>Masse (kg)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="92" />
            <source>Material</source>
            <translation>Matière</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="232" />
            <source>New supplier: {name}</source>
            <translation>Nouveau fournisseur : {name}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="100" />
            <source>Notes</source>
            <translation>Remarques</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="82" />
            <source>Part number</source>
            <translation>Référence pièce</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="98" />
            <source>Planned annual volume</source>
            <translation>Volume annuel prévu</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import.py" line="370" />
            <source>Reading and checking rows</source>
            <translation>Lecture et vérification des lignes</translation>
        </message>
        <message>
            <source>Reading the file</source>
            <translation type="vanished">Lecture du fichier</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="97" />
            <source>Special characteristics</source>
            <translation>Caractéristiques spéciales</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="99" />
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="90" />
            <source>Supplier</source>
            <translation>Fournisseur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="95" />
            <source>Unit</source>
            <translation>Unité</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/parts_import_rows.py" line="91" />
            <source>Vehicle models</source>
            <translation>Modèles de véhicule</translation>
        </message>
    </context>
    <context>
        <name>PartsImportDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="410" />
            <source>(the file)</source>
            <translation>(le fichier)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="272" />
            <source>Apply</source>
            <translation>Appliquer</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="270" />
            <source>Back</source>
            <translation>Précédent</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="262" />
            <source>Browse…</source>
            <translation>Parcourir…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="307" />
            <source>Cancel</source>
            <translation>Annuler</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="65" />
            <source>Changed</source>
            <translation>Modifié</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="127" />
            <source>Changes / reason</source>
            <translation>Modifications / motif</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="258" />
            <source>Choose a workbook (.xlsx, .xls, .ods) or a CSV file with one part revision per row and a header row. Nothing is written until you apply, and then every row or none.</source>
            <translation>Choisissez un classeur (.xlsx, .xls, .ods) ou un fichier CSV avec une révision de pièce par ligne et une ligne d’en-tête. Rien n’est écrit avant d’appliquer, et alors toutes les lignes ou aucune.</translation>
        </message>
        <message>
            <source>Choose an Excel workbook (.xlsx) or a CSV file with one part revision per row and a header row. Nothing is written until you apply, and then every row or none.</source>
            <translation type="vanished">Choisissez un classeur Excel (.xlsx) ou un fichier CSV avec un indice de pièce par ligne et une ligne d'en-tête. Rien n'est écrit avant que vous n'appliquiez, et alors toutes les lignes ou aucune.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="422" />
            <source>Chosen by hand</source>
            <translation>Choisie à la main</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="273" />
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="306" />
            <source>Close</source>
            <translation>Fermer</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="269" />
            <source>Column of the file</source>
            <translation>Colonne du fichier</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="522" />
            <source>Correct the rows in error in the file, then import it again; nothing was written.</source>
            <translation>Corrigez les lignes en erreur dans le fichier, puis importez-le de nouveau ; rien n'a été écrit.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="77" />
            <source>Designations</source>
            <translation>Désignations</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="265" />
            <source>Each field takes its values from the column shown; change any of them by hand.</source>
            <translation>Chaque champ prend ses valeurs dans la colonne indiquée ; vous pouvez modifier chacune à la main.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="67" />
            <source>Error</source>
            <translation>Erreur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="269" />
            <source>Field</source>
            <translation>Champ</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="420" />
            <source>Found by its column names</source>
            <translation>Trouvée par ses noms de colonnes</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="275" />
            <source>Header row:</source>
            <translation>Ligne d’en-tête :</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="257" />
            <source>Import parts</source>
            <translation>Importer des pièces</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="545" />
            <source>Imported: {created} new part revisions, {changed} changed, {unchanged} unchanged; {suppliers} suppliers created.</source>
            <translation>Importé : {created} nouveaux indices de pièce, {changed} modifiés, {unchanged} inchangés ; {suppliers} fournisseurs créés.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="535" />
            <source>Importing parts…</source>
            <translation>Import des pièces…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="64" />
            <source>New</source>
            <translation>Nouveau</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="271" />
            <source>Next</source>
            <translation>Suivant</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="418" />
            <source>No header row found</source>
            <translation>Aucune ligne d’en-tête trouvée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="126" />
            <source>Part number</source>
            <translation>Référence pièce</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="311" />
            <source>Parts file</source>
            <translation>Fichier de pièces</translation>
        </message>
        <message>
            <source>Parts lists (*.xlsx *.csv);;All files (*)</source>
            <translation type="vanished">Listes de pièces (*.xlsx *.csv);;Tous les fichiers (*)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="312" />
            <source>Parts lists (*.xlsx *.xls *.ods *.csv);;All files (*)</source>
            <translation>Listes de pièces (*.xlsx *.xls *.ods *.csv);;Tous les fichiers (*)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="363" />
            <source>Reading and checking the file…</source>
            <translation>Lecture et vérification du fichier…</translation>
        </message>
        <message>
            <source>Reading the file…</source>
            <translation type="vanished">Lecture du fichier…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="126" />
            <source>Rev.</source>
            <translation>Ind.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="125" />
            <source>Row</source>
            <translation>Ligne</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="274" />
            <source>Sheet:</source>
            <translation>Feuille :</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="125" />
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="263" />
            <source>Strict: refuse suppliers that are not registered yet</source>
            <translation>Strict : refuser les fournisseurs pas encore enregistrés</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="519" />
            <source>Suppliers to create: {names}</source>
            <translation>Fournisseurs à créer : {names}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="276" />
            <source>The first rows of the sheet, the header row marked; double-click the row that names the columns to take it.</source>
            <translation>Les premières lignes de la feuille, la ligne d’en-tête marquée ; double-cliquez sur la ligne qui nomme les colonnes pour la prendre.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="66" />
            <source>Unchanged</source>
            <translation>Inchangé</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="514" />
            <source>{new} new, {changed} changed, {unchanged} unchanged, {errors} with errors.</source>
            <translation>{new} nouveaux, {changed} modifiés, {unchanged} inchangés, {errors} en erreur.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/parts_import_dialog.py" line="480" />
            <source>— not imported —</source>
            <translation>— non importé —</translation>
        </message>
    </context>
    <context>
        <name>PartsPage</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="335" />
            <source>%Ln parts</source>
            <translation>
                <numerusform>%Ln pièce</numerusform>
                <numerusform>%Ln pièces</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="424" />
            <source>%Ln parts written to {file}.</source>
            <translation>
                <numerusform>%Ln pièce écrite dans {file}.</numerusform>
                <numerusform>%Ln pièces écrites dans {file}.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="254" />
            <source>All families</source>
            <translation>Toutes les familles</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="258" />
            <source>All statuses</source>
            <translation>Tous les statuts</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="252" />
            <source>All suppliers</source>
            <translation>Tous les fournisseurs</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="256" />
            <source>All vehicle models</source>
            <translation>Tous les modèles de véhicule</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="181" />
            <source>CC/SC</source>
            <translation>CC/SC</translation>
        </message>
        <message>
            <source>CSV file (*.csv)</source>
            <translation type="vanished">Fichier CSV (*.csv)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="389" />
            <source>CSV for French Excel, ';' and decimal comma (*.csv)</source>
            <translation>CSV pour Excel français, « ; » et virgule décimale (*.csv)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="391" />
            <source>CSV, ',' and decimal point (*.csv)</source>
            <translation>CSV, « , » et point décimal (*.csv)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="163" />
            <source>Designation</source>
            <translation>Désignation</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="175" />
            <source>Edited at two sites: to be merged</source>
            <translation>Modifiée sur deux sites : à fusionner</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="398" />
            <source>Excel workbook (*.xlsx)</source>
            <translation>Classeur Excel (*.xlsx)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="221" />
            <source>Export .csv…</source>
            <translation>Exporter en .csv…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="220" />
            <source>Export .xlsx…</source>
            <translation>Exporter en .xlsx…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="397" />
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="407" />
            <source>Export the parts shown</source>
            <translation>Exporter les pièces affichées</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="423" />
            <source>Exporting parts…</source>
            <translation>Export des pièces…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="166" />
            <source>Family</source>
            <translation>Famille</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="219" />
            <source>Import…</source>
            <translation>Importer…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="172" />
            <source>Mass (kg)</source>
            <translation>Masse (kg)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="170" />
            <source>Material</source>
            <translation>Matière</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="217" />
            <source>New part…</source>
            <translation>Nouvelle pièce…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="317" />
            <source>No part matches this search or these filters.</source>
            <translation>Aucune pièce ne correspond à cette recherche ou à ces filtres.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="318" />
            <source>No part registered yet. An engineer registers parts with “New part…” or imports a sheet with “Import…”.</source>
            <translation>Aucune pièce enregistrée pour l’instant. Un ingénieur enregistre des pièces avec « Nouvelle pièce… » ou importe une feuille avec « Importer… ».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="218" />
            <source>Open…</source>
            <translation>Ouvrir…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="158" />
            <source>Part number</source>
            <translation>Référence pièce</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="211" />
            <source>Parts</source>
            <translation>Pièces</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="214" />
            <source>Parts registry</source>
            <translation>Registre des pièces</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="160" />
            <source>Rev.</source>
            <translation>Ind.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="215" />
            <source>Search part number, designation, supplier, material…</source>
            <translation>Rechercher une référence, une désignation, un fournisseur, une matière…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="174" />
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="168" />
            <source>Supplier</source>
            <translation>Fournisseur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="222" />
            <source>Suppliers and models…</source>
            <translation>Fournisseurs et modèles…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="178" />
            <source>Volume / year</source>
            <translation>Volume / an</translation>
        </message>
        <message>
            <source>{count} parts</source>
            <translation type="vanished">{count} pièces</translation>
        </message>
        <message>
            <source>{count} parts written to {file}.</source>
            <translation type="vanished">{count} pièces écrites dans {file}.</translation>
        </message>
    </context>
    <context>
        <name>PasswordDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="93" />
            <source>Change my password</source>
            <translation>Changer mon mot de passe</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="101" />
            <source>Current password</source>
            <translation>Mot de passe actuel</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="102" />
            <source>New password</source>
            <translation>Nouveau mot de passe</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="94" />
            <source>New password for {name} ({user})</source>
            <translation>Nouveau mot de passe pour {name} ({user})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="99" />
            <source>New password for {name} ({user}); tell them to change it after signing in.</source>
            <translation>Nouveau mot de passe pour {name} ({user}) ; demandez-lui de le changer après s'être connecté.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="103" />
            <source>Repeat the new password</source>
            <translation>Répétez le nouveau mot de passe</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/password_dialog.py" line="97" />
            <source>Reset password</source>
            <translation>Réinitialiser le mot de passe</translation>
        </message>
    </context>
    <context>
        <name>PeoplePage</name>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="91" />
            <source>Active</source>
            <translation>Actif</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="92" />
            <source>Add a person…</source>
            <translation>Ajouter une personne…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="93" />
            <source>Change role…</source>
            <translation>Changer le rôle…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="140" />
            <source>Disable</source>
            <translation>Désactiver</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="139" />
            <source>Enable</source>
            <translation>Activer</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="91" />
            <source>Full name</source>
            <translation>Nom complet</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="121" />
            <source>No, disabled</source>
            <translation>Non, désactivé</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="86" />
            <source>People</source>
            <translation>Personnes</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="89" />
            <source>People of this site</source>
            <translation>Personnes de ce site</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="94" />
            <source>Reset password…</source>
            <translation>Réinitialiser le mot de passe…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="91" />
            <source>Role</source>
            <translation>Rôle</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="174" />
            <source>The password of {user} was reset.</source>
            <translation>Le mot de passe de {user} a été réinitialisé.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="91" />
            <source>User name</source>
            <translation>Nom d'utilisateur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="121" />
            <source>Yes</source>
            <translation>Oui</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/people_page.py" line="157" />
            <source>{user} can now sign in.</source>
            <translation>{user} peut maintenant se connecter.</translation>
        </message>
    </context>
    <context>
        <name>Permissions</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="86" />
            <source>Add {role} in People, then sign in as that person.</source>
            <translation>Ajoutez {role} dans Personnes, puis connectez-vous sous cette identité.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="88" />
            <source>Ask an administrator to add {role} in People.</source>
            <translation>Demandez à un administrateur d’ajouter {role} dans Personnes.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="83" />
            <source>Ask an administrator to do it.</source>
            <translation>Demandez-le à un administrateur.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="79" />
            <source>Nobody may {action} here.</source>
            <translation>Personne ne peut {action} ici.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="80" />
            <source>Only {roles} may {action}.</source>
            <translation>Seul {roles} peut {action}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="55" />
            <source>a quality inspector</source>
            <translation>un inspecteur qualité</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="57" />
            <source>an administrator</source>
            <translation>un administrateur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="56" />
            <source>an approver</source>
            <translation>un approbateur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="54" />
            <source>an engineer</source>
            <translation>un ingénieur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="42" />
            <source>approve or reject deviations</source>
            <translation>approuver ou refuser des dérogations</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="66" />
            <source>back up and restore</source>
            <translation>sauvegarder et restaurer</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="39" />
            <source>change how long records are kept</source>
            <translation>changer la durée de conservation des enregistrements</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/deviations.py" line="307" />
            <source>decide on deviations</source>
            <translation>décider des dérogations</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/certification.py" line="180" />
            <location filename="../../desktop_app/domain/people.py" line="59" />
            <source>decide on submissions</source>
            <translation>statuer sur les soumissions</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="55" />
            <source>edit parts</source>
            <translation>modifier les pièces</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="52" />
            <source>edit reference data</source>
            <translation>modifier les données de référence</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="53" />
            <source>edit the regulatory rules</source>
            <translation>modifier les règles réglementaires</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="61" />
            <source>edit the roadmap</source>
            <translation>modifier la feuille de route</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="63" />
            <source>export packages</source>
            <translation>exporter des paquets</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="64" />
            <source>import packages</source>
            <translation>importer des paquets</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="36" />
            <source>import parts</source>
            <translation>importer des pièces</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="50" />
            <source>manage people</source>
            <translation>gérer les personnes</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="51" />
            <source>manage sites and keys</source>
            <translation>gérer les sites et les clés</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="65" />
            <source>merge conflicting edits</source>
            <translation>fusionner des modifications concurrentes</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="43" />
            <source>prepare or change submissions</source>
            <translation>préparer ou modifier des soumissions</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="57" />
            <source>prepare submissions</source>
            <translation>préparer des soumissions</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="60" />
            <source>print certificates</source>
            <translation>imprimer des certificats</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="40" />
            <source>print or save certificates</source>
            <translation>imprimer ou enregistrer des certificats</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="37" />
            <source>record deliveries</source>
            <translation>enregistrer des livraisons</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="56" />
            <source>record test evidence</source>
            <translation>enregistrer des preuves d'essai</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="38" />
            <source>record the end of production</source>
            <translation>enregistrer la fin de production</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="35" />
            <source>register parts</source>
            <translation>enregistrer des pièces</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="41" />
            <source>request deviations</source>
            <translation>demander des dérogations</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="58" />
            <source>review submissions</source>
            <translation>examiner des soumissions</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="62" />
            <source>sign off roadmap steps</source>
            <translation>valider des étapes de la feuille de route</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="49" />
            <source>view data</source>
            <translation>consulter les données</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="69" />
            <source>{first} or {last}</source>
            <translation>{first} ou {last}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/permission.py" line="68" />
            <source>{first}, {second}</source>
            <translation>{first}, {second}</translation>
        </message>
    </context>
    <context>
        <name>PersonDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="89" />
            <source>Add a person</source>
            <translation>Ajouter une personne</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="90" />
            <source>Full name</source>
            <translation>Nom complet</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="91" />
            <source>Password</source>
            <translation>Mot de passe</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="92" />
            <source>Repeat the password</source>
            <translation>Répétez le mot de passe</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="91" />
            <source>Role</source>
            <translation>Rôle</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="90" />
            <source>User name</source>
            <translation>Nom d'utilisateur</translation>
        </message>
    </context>
    <context>
        <name>Ppap</name>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="78" />
            <source>Appearance approval report (AAR), if applicable</source>
            <translation>Rapport d'approbation d'aspect (AAR), le cas échéant</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="24" />
            <source>As customer specifies</source>
            <translation>Selon le client</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="91" />
            <source>Bulk material requirements checklist</source>
            <translation>Liste de contrôle des exigences pour matières en vrac</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="122" />
            <source>Change in part processing</source>
            <translation>Changement du procédé de fabrication</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="119" />
            <source>Change to optional construction or material</source>
            <translation>Changement de construction ou de matière optionnelle</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="82" />
            <source>Checking aids</source>
            <translation>Moyens de contrôle</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="68" />
            <source>Control plan</source>
            <translation>Plan de surveillance</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="117" />
            <source>Correction of discrepancy</source>
            <translation>Correction d'un écart</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="63" />
            <source>Customer engineering approval, if required</source>
            <translation>Approbation technique du client, si requise</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="65" />
            <source>Design FMEA</source>
            <translation>AMDEC produit</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="59" />
            <source>Design records — all other components</source>
            <translation>Dossier de conception — autres composants</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="57" />
            <source>Design records — proprietary components</source>
            <translation>Dossier de conception — composants propriétaires</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="71" />
            <source>Dimensional results</source>
            <translation>Résultats dimensionnels</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="61" />
            <source>Engineering change documents, if any</source>
            <translation>Documents de modification technique, le cas échéant</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="114" />
            <source>Engineering change(s)</source>
            <translation>Modification(s) technique(s)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="74" />
            <source>Initial process studies</source>
            <translation>Études préliminaires de procédé</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="113" />
            <source>Initial submission</source>
            <translation>Soumission initiale</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="81" />
            <source>Master sample</source>
            <translation>Échantillon de référence</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="72" />
            <source>Material, performance test results</source>
            <translation>Résultats d'essais matière et performance</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="69" />
            <source>Measurement system analysis studies</source>
            <translation>Études d'analyse du système de mesure (MSA)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="124" />
            <source>Other</source>
            <translation>Autre</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="85" />
            <source>Part submission warrant (PSW)</source>
            <translation>Certificat de soumission de pièce (PSW)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="123" />
            <source>Parts produced at additional location</source>
            <translation>Pièces produites sur un site supplémentaire</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="67" />
            <source>Process FMEA</source>
            <translation>AMDEC procédé</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="66" />
            <source>Process flow diagrams</source>
            <translation>Synoptiques du procédé</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="76" />
            <source>Qualified laboratory documentation</source>
            <translation>Documentation du laboratoire qualifié</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="83" />
            <source>Records of compliance with customer-specific requirements</source>
            <translation>Preuves de conformité aux exigences spécifiques du client</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="23" />
            <source>Retain</source>
            <translation>Conserver</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="80" />
            <source>Sample production parts</source>
            <translation>Pièces échantillons de production</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="121" />
            <source>Sub-supplier or material source change</source>
            <translation>Changement de sous-fournisseur ou de source matière</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="22" />
            <source>Submit</source>
            <translation>Soumettre</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="118" />
            <source>Tooling inactive &gt; 1 year</source>
            <translation>Outillage inactif &gt; 1 an</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="115" />
            <source>Tooling: transfer, replacement, refurbishment, or additional</source>
            <translation>Outillage : transfert, remplacement, remise en état ou ajout</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="34" />
            <source>Warrant and other requirements as defined by the customer</source>
            <translation>Certificat et autres exigences définies par le client</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="31" />
            <source>Warrant only (and AAR for appearance items)</source>
            <translation>Certificat seul (et AAR pour les pièces d'aspect)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="35" />
            <source>Warrant with samples and complete data reviewed at the supplier's manufacturing location</source>
            <translation>Certificat avec échantillons et données complètes examinées sur le site de production du fournisseur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="33" />
            <source>Warrant with samples and complete supporting data</source>
            <translation>Certificat avec échantillons et données complètes</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/ppap.py" line="32" />
            <source>Warrant with samples and limited supporting data</source>
            <translation>Certificat avec échantillons et données limitées</translation>
        </message>
    </context>
    <context>
        <name>Psw</name>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="68" />
            <source>Additional engineering changes</source>
            <translation>Modifications techniques supplémentaires</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="69" />
            <source>Additional engineering changes date</source>
            <translation>Date des modifications techniques supplémentaires</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="349" />
            <location filename="../../desktop_app/services/certification_psw.py" line="215" />
            <source>Address</source>
            <translation>Adresse</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="125" />
            <source>Appearance criteria</source>
            <translation>Critères d'aspect</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="350" />
            <location filename="../../desktop_app/services/certification_psw.py" line="220" />
            <source>Application</source>
            <translation>Application</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="409" />
            <location filename="../../desktop_app/services/certification_psw.py" line="248" />
            <source>Authorised supplier signature</source>
            <translation>Signature autorisée du fournisseur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="77" />
            <source>Buyer / buyer code</source>
            <translation>Acheteur / code acheteur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="75" />
            <source>Checking aid date</source>
            <translation>Date du moyen de contrôle</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="74" />
            <source>Checking aid number and level</source>
            <translation>Numéro et indice du moyen de contrôle</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="76" />
            <source>Customer / division</source>
            <translation>Client / division</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_psw.py" line="255" />
            <source>Customer disposition</source>
            <translation>Décision du client</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="431" />
            <location filename="../../desktop_app/services/certification_psw.py" line="261" />
            <source>Customer name</source>
            <translation>Nom du client</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="327" />
            <location filename="../../desktop_app/services/certification_psw.py" line="199" />
            <source>Customer part number</source>
            <translation>Référence client de la pièce</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="430" />
            <location filename="../../desktop_app/services/certification_psw.py" line="259" />
            <source>Customer signature</source>
            <translation>Signature du client</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="344" />
            <location filename="../../desktop_app/services/certification_psw.py" line="217" />
            <source>Customer submittal information</source>
            <translation>Informations de soumission client</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="90" />
            <source>Customer tracking number</source>
            <translation>Numéro de suivi client</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="414" />
            <location filename="../../desktop_app/documents/psw_pdf.py" line="432" />
            <location filename="../../desktop_app/services/certification_psw.py" line="253" />
            <source>Date</source>
            <translation>Date</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="400" />
            <location filename="../../desktop_app/services/certification_psw.py" line="243" />
            <source>Declaration</source>
            <translation>Déclaration</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="79" />
            <source>Derived from the results above and the completeness checks, not typed.</source>
            <translation>Déduit des résultats ci-dessus et des contrôles de complétude, non saisi.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="123" />
            <source>Dimensional measurements</source>
            <translation>Mesures dimensionnelles</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="426" />
            <location filename="../../desktop_app/services/certification_psw.py" line="256" />
            <source>Disposition</source>
            <translation>Décision</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="330" />
            <location filename="../../desktop_app/domain/psw.py" line="66" />
            <source>Drawing number</source>
            <translation>Numéro de plan</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="413" />
            <location filename="../../desktop_app/services/certification_psw.py" line="252" />
            <source>E-mail</source>
            <translation>Courriel</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="87" />
            <source>Each customer-owned tool is tagged and numbered</source>
            <translation>Chaque outillage appartenant au client est étiqueté et numéroté</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="331" />
            <location filename="../../desktop_app/services/certification_psw.py" line="202" />
            <source>Engineering change level</source>
            <translation>Indice de modification technique</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="67" />
            <source>Engineering change level date</source>
            <translation>Date de l'indice de modification</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="83" />
            <source>Explanation / comments</source>
            <translation>Explication / commentaires</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="417" />
            <source>For customer use only</source>
            <translation>Réservé au client</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_psw.py" line="232" />
            <source>Level</source>
            <translation>Niveau</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="104" />
            <source>Locked: a submission in this state cannot be changed.</source>
            <translation>Verrouillé : une soumission dans cet état ne peut pas être modifiée.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="102" />
            <source>Locked: the submission was edited at two sites; merge it on the Conflicts page first.</source>
            <translation>Verrouillé : la soumission a été modifiée sur deux sites ; fusionnez-la d’abord sur la page Conflits.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="124" />
            <source>Material and functional tests</source>
            <translation>Essais matière et fonctionnels</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="353" />
            <location filename="../../desktop_app/services/certification_psw.py" line="222" />
            <source>Materials reporting</source>
            <translation>Déclaration des matériaux</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="84" />
            <source>Mould / cavity / production process</source>
            <translation>Moule / empreinte / procédé de production</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="410" />
            <location filename="../../desktop_app/services/certification_psw.py" line="249" />
            <source>Name</source>
            <translation>Nom</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="159" />
            <source>No result is linked to the submission.</source>
            <translation>Aucun résultat n’est lié à la soumission.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="422" />
            <source>Other</source>
            <translation>Autre</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="187" />
            <source>PDF document (*.pdf)</source>
            <translation>Document PDF (*.pdf)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="71" />
            <source>PPAP element 18 — AIAG Production Part Approval Process, 4th edition</source>
            <translation>Élément PPAP 18 — AIAG Production Part Approval Process, 4e édition</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="70" />
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="129" />
            <source>Part Submission Warrant</source>
            <translation>Certificat de soumission de pièce (PSW)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="325" />
            <location filename="../../desktop_app/services/certification_psw.py" line="197" />
            <source>Part information</source>
            <translation>Informations sur la pièce</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="326" />
            <location filename="../../desktop_app/services/certification_psw.py" line="198" />
            <source>Part name</source>
            <translation>Désignation de la pièce</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="89" />
            <source>Phone</source>
            <translation>Téléphone</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="81" />
            <source>Polymeric parts marked (ISO)</source>
            <translation>Pièces polymères marquées (ISO)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="186" />
            <source>Print the warrant as a PDF</source>
            <translation>Imprimer le certificat de soumission en PDF</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="141" />
            <source>Print warrant…</source>
            <translation>Imprimer le PSW…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="81" />
            <source>Printed by PartDesk on {day} from submission {number} — page {page}</source>
            <translation>Imprimé par PartDesk le {day} à partir de la soumission {number} — page {page}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="198" />
            <source>Printing the warrant…</source>
            <translation>Impression du PSW…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="86" />
            <source>Production rate: hours</source>
            <translation>Cadence de production : heures</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="85" />
            <source>Production rate: pieces</source>
            <translation>Cadence de production : pièces</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="73" />
            <source>Purchase order number</source>
            <translation>Numéro de commande</translation>
        </message>
        <message>
            <location filename="../../desktop_app/services/certification_psw.py" line="228" />
            <source>Reason</source>
            <translation>Motif</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="360" />
            <location filename="../../desktop_app/services/certification_psw.py" line="227" />
            <source>Reason for submission</source>
            <translation>Motif de soumission</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="80" />
            <source>Reported in IMDS or other format</source>
            <translation>Déclaré dans IMDS ou un autre format</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="361" />
            <location filename="../../desktop_app/services/certification_psw.py" line="231" />
            <source>Requested submission level</source>
            <translation>Niveau de soumission demandé</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="71" />
            <source>Safety and/or government regulation</source>
            <translation>Sécurité et/ou réglementation</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="142" />
            <source>Save the warrant as a PDF in the language of the window</source>
            <translation>Enregistrer le PSW en PDF dans la langue de la fenêtre</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="140" />
            <source>Save the warrant fields</source>
            <translation>Enregistrer les champs du certificat</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="181" />
            <source>Saved.</source>
            <translation>Enregistré.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="126" />
            <source>Statistical process package</source>
            <translation>Dossier statistique du procédé</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="386" />
            <location filename="../../desktop_app/services/certification_psw.py" line="234" />
            <source>Submission results</source>
            <translation>Résultats de la soumission</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="78" />
            <source>Substances of concern reported</source>
            <translation>Substances préoccupantes déclarées</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="346" />
            <location filename="../../desktop_app/services/certification_psw.py" line="214" />
            <source>Supplier code</source>
            <translation>Code fournisseur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="343" />
            <location filename="../../desktop_app/services/certification_psw.py" line="212" />
            <source>Supplier manufacturing information</source>
            <translation>Informations sur le site de fabrication du fournisseur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="345" />
            <location filename="../../desktop_app/services/certification_psw.py" line="213" />
            <source>Supplier name</source>
            <translation>Nom du fournisseur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="65" />
            <source>Supplier part number</source>
            <translation>Référence fournisseur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="73" />
            <source>The supplier declares that the samples covered by this warrant represent its parts, made by a process that meets every requirement of the AIAG Production Part Approval Process (4th edition), at a production rate of {pieces} pieces in {hours} hours, and that documented evidence of this is on file and available for review. Any deviation from this declaration is explained under Explanation / comments.</source>
            <translation>Le fournisseur déclare que les échantillons couverts par ce certificat représentent ses pièces, fabriquées par un procédé qui satisfait à toutes les exigences du Production Part Approval Process de l’AIAG (4e édition), à une cadence de production de {pieces} pièces en {hours} heures, et que les preuves documentées en sont archivées et disponibles pour examen. Tout écart à cette déclaration est expliqué sous Explication / commentaires.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="389" />
            <location filename="../../desktop_app/services/certification_psw.py" line="236" />
            <source>These results meet all design record requirements</source>
            <translation>Ces résultats satisfont à toutes les exigences du dossier de conception</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="411" />
            <location filename="../../desktop_app/services/certification_psw.py" line="250" />
            <source>Title</source>
            <translation>Fonction</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="202" />
            <source>Warrant written to {file}.</source>
            <translation>PSW écrit dans {file}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/psw_pdf.py" line="338" />
            <location filename="../../desktop_app/services/certification_psw.py" line="208" />
            <source>Weight (kg)</source>
            <translation>Masse (kg)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/psw_dialog.py" line="139" />
            <source>YYYY-MM-DD</source>
            <translation>AAAA-MM-JJ</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="33" />
            <source>n/a</source>
            <translation>s.o.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="32" />
            <location filename="../../desktop_app/services/certification_psw.py" line="49" />
            <source>no</source>
            <translation>non</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="31" />
            <location filename="../../desktop_app/services/certification_psw.py" line="49" />
            <source>yes</source>
            <translation>oui</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/psw.py" line="158" />
            <source>{result}: no result is linked to the submission.</source>
            <translation>{result} : aucun résultat n’est lié à la soumission.</translation>
        </message>
    </context>
    <context>
        <name>RateChartWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="47" />
            <source>Actual</source>
            <translation>Réel</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="48" />
            <source>Forecast</source>
            <translation>Prévision</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="53" />
            <source>Integration rate</source>
            <translation>Taux d'intégration</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="51" />
            <source>No vehicle model with an approval date yet.</source>
            <translation>Aucun modèle de véhicule avec une date d'agrément pour l'instant.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="46" />
            <source>Planned (roadmap)</source>
            <translation>Planifié (feuille de route)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="49" />
            <source>Regulatory minimum</source>
            <translation>Minimum réglementaire</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="50" />
            <source>Today</source>
            <translation>Aujourd'hui</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/rate_chart.py" line="52" />
            <source>year {n}</source>
            <translation>année {n}</translation>
        </message>
    </context>
    <context>
        <name>RecordTypes</name>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="18" />
            <source>Attached file</source>
            <translation>Fichier joint</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="22" />
            <source>Certificate</source>
            <translation>Certificat</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="14" />
            <source>Characteristic</source>
            <translation>Caractéristique</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="12" />
            <source>Component family</source>
            <translation>Famille de composants</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="24" />
            <source>Customer decision on a deviation</source>
            <translation>Décision du client sur une dérogation</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="26" />
            <source>Customer's retention period</source>
            <translation>Durée de conservation d’un client</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="20" />
            <source>Decision</source>
            <translation>Décision</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="34" />
            <source>Delivery of parts</source>
            <translation>Livraison de pièces</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="23" />
            <source>Deviation</source>
            <translation>Dérogation</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="28" />
            <source>EN 10204 inspection document</source>
            <translation>Document de contrôle EN 10204</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="25" />
            <source>End of production</source>
            <translation>Fin de production</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="15" />
            <source>Gauge</source>
            <translation>Instrument de mesure</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="29" />
            <source>Measurement system analysis study</source>
            <translation>Étude d'analyse du système de mesure</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="13" />
            <source>Part</source>
            <translation>Pièce</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="9" />
            <source>Person</source>
            <translation>Personne</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="17" />
            <source>Readings</source>
            <translation>Mesures</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="30" />
            <source>Reference list set</source>
            <translation>Ensemble de la liste de référence</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="32" />
            <source>Regulatory milestone</source>
            <translation>Jalon réglementaire</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="33" />
            <source>Regulatory rules of a model</source>
            <translation>Règles réglementaires d’un modèle</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="35" />
            <source>Roadmap step</source>
            <translation>Étape de la feuille de route</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="31" />
            <source>Set to part link</source>
            <translation>Lien ensemble – pièce</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="21" />
            <source>Signature</source>
            <translation>Signature</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="8" />
            <source>Site</source>
            <translation>Site</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="36" />
            <source>Step sign-off</source>
            <translation>Validation d’étape</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="19" />
            <source>Submission</source>
            <translation>Soumission</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="10" />
            <source>Supplier</source>
            <translation>Fournisseur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="27" />
            <source>Test laboratory</source>
            <translation>Laboratoire d’essai</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="16" />
            <source>Test report</source>
            <translation>Rapport d’essai</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/record_types.py" line="11" />
            <source>Vehicle model</source>
            <translation>Modèle de véhicule</translation>
        </message>
    </context>
    <context>
        <name>ReferenceDataDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="55" />
            <source>Approval date (starts the clock)</source>
            <translation>Date d'agrément (point de départ des échéances)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="51" />
            <source>Carmaker</source>
            <translation>Constructeur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="39" />
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="50" />
            <source>Code</source>
            <translation>Code</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="42" />
            <source>Contact</source>
            <translation>Contact</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="40" />
            <source>Country</source>
            <translation>Pays</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="45" />
            <source>IATF 16949 certificate</source>
            <translation>Certificat IATF 16949</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="46" />
            <source>IATF 16949 expiry</source>
            <translation>Expiration IATF 16949</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="43" />
            <source>ISO 9001 certificate</source>
            <translation>Certificat ISO 9001</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="44" />
            <source>ISO 9001 expiry</source>
            <translation>Expiration ISO 9001</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="52" />
            <source>Model</source>
            <translation>Modèle</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="38" />
            <source>Name</source>
            <translation>Nom</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="116" />
            <source>New</source>
            <translation>Nouveau</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="47" />
            <source>Notes</source>
            <translation>Remarques</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="54" />
            <source>Power range</source>
            <translation>Gamme de puissance</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="117" />
            <source>Save</source>
            <translation>Enregistrer</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="168" />
            <source>Saved.</source>
            <translation>Enregistré.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="41" />
            <source>Site / address</source>
            <translation>Site / adresse</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="212" />
            <source>Suppliers</source>
            <translation>Fournisseurs</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="211" />
            <source>Suppliers and vehicle models</source>
            <translation>Fournisseurs et modèles de véhicule</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="53" />
            <source>Type</source>
            <translation>Type</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="213" />
            <source>Vehicle models</source>
            <translation>Modèles de véhicule</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/reference_data_dialog.py" line="115" />
            <source>YYYY-MM-DD</source>
            <translation>AAAA-MM-JJ</translation>
        </message>
    </context>
    <context>
        <name>ReportDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="180" />
            <source>Close without saving the readings typed?</source>
            <translation>Fermer sans enregistrer les mesures saisies ?</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="161" />
            <source>Conclusion</source>
            <translation>Conclusion</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="137" />
            <source>Correct report {number}</source>
            <translation>Corriger le rapport {number}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="198" />
            <source>Every reading is in; {keys} saves the report.</source>
            <translation>Toutes les mesures sont saisies ; {keys} enregistre le rapport.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="155" />
            <source>ISO/IEC 17025 accreditation</source>
            <translation>Accréditation ISO/IEC 17025</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="153" />
            <source>Internal / external</source>
            <translation>Interne / externe</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="153" />
            <source>Laboratory</source>
            <translation>Laboratoire</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="160" />
            <source>Laboratory's result (reports without readings)</source>
            <translation>Résultat du laboratoire (rapports sans mesures)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="135" />
            <source>New test report</source>
            <translation>Nouveau rapport d'essai</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="159" />
            <source>Operator</source>
            <translation>Opérateur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="164" />
            <source>Reason for the correction</source>
            <translation>Motif de la correction</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="156" />
            <source>Sample size</source>
            <translation>Taille de l'échantillon</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="152" />
            <source>Standard (e.g. ISO 9227)</source>
            <translation>Norme (p. ex. ISO 9227)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="157" />
            <source>Subgroup size (1: individual readings)</source>
            <translation>Taille des sous-groupes (1 : valeurs individuelles)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="158" />
            <source>Tested on</source>
            <translation>Date d'essai</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="205" />
            <source>This part revision has no characteristics yet, so there is nothing to measure: use “Add characteristic…” or “Import characteristics…” on the Evidence tab, then record the readings. A report without readings (a material certificate, a test result) can be recorded now.</source>
            <translation>Cette révision de pièce n’a pas encore de caractéristiques, il n’y a donc rien à mesurer : utilisez « Ajouter une caractéristique… » ou « Importer des caractéristiques… » dans l’onglet Preuves, puis saisissez les relevés. Un rapport sans relevés (un certificat matière, un résultat d’essai) peut être enregistré dès maintenant.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="151" />
            <source>Title</source>
            <translation>Intitulé</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/report_dialog.py" line="151" />
            <source>Type</source>
            <translation>Type</translation>
        </message>
    </context>
    <context>
        <name>Retention</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="302" />
            <source>%Ln records past retention</source>
            <translation>
                <numerusform>%Ln enregistrement au-delà de la conservation</numerusform>
                <numerusform>%Ln enregistrements au-delà de la conservation</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="225" />
            <source>%Ln years</source>
            <translation>
                <numerusform>%Ln an</numerusform>
                <numerusform>%Ln ans</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="188" />
            <source>Any other customer: 1 year.</source>
            <translation>Tout autre client : 1 an.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="114" />
            <source>Choose a part revision.</source>
            <translation>Choisissez une révision de pièce.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="167" />
            <source>Customer (as named on its vehicle models)</source>
            <translation>Client (tel que nommé sur ses modèles de véhicules)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="291" />
            <source>Customers' periods…</source>
            <translation>Durées des clients…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="166" />
            <source>Customers' retention periods</source>
            <translation>Durées de conservation des clients</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="87" />
            <source>End of production</source>
            <translation>Fin de production</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="290" />
            <source>End of production…</source>
            <translation>Fin de production…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="224" />
            <source>Kept for</source>
            <translation>Conservé pendant</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="227" />
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="236" />
            <source>Kept until</source>
            <translation>Conservé jusqu’au</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="89" />
            <source>Last day of series production</source>
            <translation>Dernier jour de la production série</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="89" />
            <source>Note</source>
            <translation>Note</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="243" />
            <source>Number or name</source>
            <translation>Numéro ou nom</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="220" />
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="239" />
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="88" />
            <source>Part revision</source>
            <translation>Révision de pièce</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="222" />
            <source>Production ended</source>
            <translation>Production arrêtée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="241" />
            <source>Record</source>
            <translation>Enregistrement</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="230" />
            <source>Records</source>
            <translation>Enregistrements</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="286" />
            <source>Records are kept until the end of production plus one calendar year, or as long as the part's customer requires. Records past that date are listed below for review: nothing is deleted automatically.</source>
            <translation>Les enregistrements sont conservés jusqu’à la fin de production plus une année civile, ou aussi longtemps que le client de la pièce l’exige. Ceux qui ont dépassé cette date sont listés ci-dessous pour examen : rien n’est supprimé automatiquement.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="88" />
            <source>Search parts</source>
            <translation>Rechercher des pièces</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="169" />
            <source>Where the customer requires it</source>
            <translation>Là où le client l’exige</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="168" />
            <source>Years after the end of production</source>
            <translation>Années après la fin de production</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="186" />
            <source>{customer}: %Ln years</source>
            <translation>
                <numerusform>{customer} : %Ln an</numerusform>
                <numerusform>{customer} : %Ln ans</numerusform>
            </translation>
        </message>
        <message>
            <source>{customer}: {years} year(s)</source>
            <translation type="vanished">{customer} : {years} an(s)</translation>
        </message>
        <message>
            <source>{n} record(s) past retention</source>
            <translation type="vanished">{n} enregistrement(s) au-delà de la conservation</translation>
        </message>
        <message>
            <source>{years} year(s)</source>
            <translation type="vanished">{years} an(s)</translation>
        </message>
    </context>
    <context>
        <name>Roadmap</name>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="57" />
            <source>1 Plan and Define Programme</source>
            <translation>1 Planifier et définir le programme</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="58" />
            <source>2 Product Design and Development</source>
            <translation>2 Conception et développement du produit</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="59" />
            <source>3 Process Design and Development</source>
            <translation>3 Conception et développement du procédé</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="60" />
            <source>4 Product and Process Validation</source>
            <translation>4 Validation du produit et du procédé</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="61" />
            <source>5 Feedback, Assessment and Corrective Action</source>
            <translation>5 Retour d'expérience, évaluation et actions correctives</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="36" />
            <source>Achieved</source>
            <translation>Atteinte</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="38" />
            <source>At risk</source>
            <translation>À risque</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="73" />
            <source>Carmaker</source>
            <translation>Constructeur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="42" />
            <source>In progress</source>
            <translation>En cours</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="39" />
            <source>Late</source>
            <translation>En retard</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="40" />
            <source>Missed</source>
            <translation>Manquée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="37" />
            <source>On track</source>
            <translation>En bonne voie</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="41" />
            <source>Planned</source>
            <translation>Planifiée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/roadmap.py" line="72" />
            <source>Supplier</source>
            <translation>Fournisseur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_lists.py" line="82" />
            <source>{status} (set by hand; the rate gives {computed})</source>
            <translation>{status} (fixé à la main ; le taux donne {computed})</translation>
        </message>
    </context>
    <context>
        <name>RoadmapCli</name>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="275" />
            <source>  at least {target} at the end of year {years} — {source}</source>
            <translation>  au moins {target} à la fin de l’année {years} — {source}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="284" />
            <source>  cut ends as soon as the rate is reached: {answer} — {source}</source>
            <translation>  la réduction prend fin dès que le taux est atteint : {answer} — {source}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="280" />
            <source>  missed milestone: {months} months of grace — {source}</source>
            <translation>  jalon manqué : {months} mois de délai supplémentaire — {source}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="287" />
            <source>  still missed at the end, supply frozen: {answer} — {source}</source>
            <translation>  toujours manqué à la fin, approvisionnement gelé : {answer} — {source}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="282" />
            <source>  supply programme cut by {cut} during the grace — {source}</source>
            <translation>  programme d’approvisionnement réduit de {cut} pendant le délai — {source}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="274" />
            <source> (defaults)</source>
            <translation> (par défaut)</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/roadmap.py" line="304" />
            <source>%Ln remaining</source>
            <translation>
                <numerusform>%Ln restante</numerusform>
                <numerusform>%Ln restantes</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/roadmap.py" line="301" />
            <source>%Ln remaining, ends on {day} at the latest</source>
            <translation>
                <numerusform>%Ln restante, fin le {day} au plus tard</numerusform>
                <numerusform>%Ln restantes, fin le {day} au plus tard</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="171" />
            <source>(set by hand; the rate gives {computed}) </source>
            <translation>(fixé à la main ; le taux donne {computed}) </translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="317" />
            <source>Delivery of {n} × {part} recorded.</source>
            <translation>Livraison de {n} × {part} enregistrée.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="207" />
            <source>Dry run: nothing was saved.</source>
            <translation>Simulation : rien n'a été enregistré.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="114" />
            <source>Grace period until {day}; supply programme at {factor} of plan.</source>
            <translation>Délai supplémentaire jusqu'au {day} ; programme d'approvisionnement à {factor} du plan.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="225" />
            <source>Linked {part} to {set}.</source>
            <translation>{part} est liée à {set}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="110" />
            <source>Next milestone: {day}, at least {target} (forecast {forecast})</source>
            <translation>Prochain jalon : {day}, au moins {target} (prévision {forecast})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="328" />
            <source>No interim approval limited by quantity.</source>
            <translation>Aucune approbation provisoire limitée en quantité.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="163" />
            <source>No step.</source>
            <translation>Aucune étape.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="143" />
            <source>No vehicle model yet.</source>
            <translation>Aucun modèle de véhicule pour l'instant.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="105" />
            <source>Rate on {day}: {rate}   (list totals {total}, {short} missing)</source>
            <translation>Taux au {day} : {rate}   (la liste totalise {total}, il manque {short})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="272" />
            <source>Regulatory rules of {model}{default}</source>
            <translation>Règles réglementaires de {model}{default}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="346" />
            <source>Report written: {path}</source>
            <translation>Rapport écrit : {path}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="117" />
            <source>Rules: {months} months of grace, supply cut by {cut}, {ends}, {freeze} (partdesk roadmap rules {code})</source>
            <translation>Règles : {months} mois de délai supplémentaire, approvisionnement réduit de {cut}, {ends}, {freeze} (partdesk roadmap rules {code})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="239" />
            <source>Step {code} signed for the {party}.</source>
            <translation>Étape {code} signée pour le {party}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="184" />
            <source>Step {code}: {status} {mismatch}</source>
            <translation>Étape {code} : {status} {mismatch}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="132" />
            <source>Total: {rate}</source>
            <translation>Total : {rate}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="120" />
            <source>cut ends when the rate is reached</source>
            <translation>la réduction prend fin quand le taux est atteint</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="121" />
            <source>cut lasts the whole grace</source>
            <translation>la réduction dure tout le délai</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/roadmap.py" line="161" />
            <source>late by %Ln days</source>
            <translation>
                <numerusform>en retard de %Ln jour</numerusform>
                <numerusform>en retard de %Ln jours</numerusform>
            </translation>
        </message>
        <message>
            <source>late by {n} days</source>
            <translation type="vanished">en retard de {n} jours</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="249" />
            <source>no</source>
            <translation>non</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="123" />
            <source>no freeze</source>
            <translation>pas de gel</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="299" />
            <source>quantity shipped: ended on {day}</source>
            <translation>quantité livrée : terminée le {day}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="122" />
            <source>then frozen</source>
            <translation>puis gel</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="249" />
            <source>yes</source>
            <translation>oui</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="101" />
            <source>{code} — {name}   approved {approval}   state: {state}</source>
            <translation>{code} — {name}   agréé le {approval}   état : {state}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/cli/roadmap.py" line="201" />
            <source>{model}: {rows} sets, {added} added, {changed} changed, {removed} removed; the list totals {total} ({short} missing).</source>
            <translation>{model} : {rows} ensembles, {added} ajoutés, {changed} modifiés, {removed} retirés ; la liste totalise {total} (il manque {short}).</translation>
        </message>
        <message>
            <source>{n} remaining</source>
            <translation type="vanished">{n} restantes</translation>
        </message>
        <message>
            <source>{n} remaining, ends on {day} at the latest</source>
            <translation type="vanished">{n} restantes, fin le {day} au plus tard</translation>
        </message>
    </context>
    <context>
        <name>RoadmapPage</name>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="227" />
            <source>Add a milestone</source>
            <translation>Ajouter un jalon</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="218" />
            <source>Add a set…</source>
            <translation>Ajouter un ensemble…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="224" />
            <source>Add a step…</source>
            <translation>Ajouter une étape…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="392" />
            <source>Choose a set first.</source>
            <translation>Choisissez d'abord un ensemble.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="405" />
            <source>Choose a set with a linked part first.</source>
            <translation>Choisissez d'abord un ensemble qui a une pièce liée.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="484" />
            <source>Choose a step first.</source>
            <translation>Choisissez d'abord une étape.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="231" />
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="234" />
            <source>Code</source>
            <translation>Code</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="231" />
            <source>Contributory rate</source>
            <translation>Taux contributif</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="232" />
            <source>Counts for</source>
            <translation>Compte pour</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="235" />
            <source>Days late</source>
            <translation>Jours de retard</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="219" />
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="225" />
            <source>Edit…</source>
            <translation>Modifier…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="238" />
            <source>End of year</source>
            <translation>Fin de l'année</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="510" />
            <source>Export report</source>
            <translation>Exporter le rapport</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="214" />
            <source>Export report…</source>
            <translation>Exporter le rapport…</translation>
        </message>
        <message>
            <source>Forecast date</source>
            <translation type="vanished">Date prévue</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="223" />
            <source>Import from .xlsx…</source>
            <translation>Importer depuis un .xlsx…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="448" />
            <source>Import the reference list?</source>
            <translation>Importer la liste de référence ?</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="462" />
            <source>Importing the reference list</source>
            <translation>Import de la liste de référence</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="231" />
            <source>Kind</source>
            <translation>Type</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="221" />
            <source>Link a local part…</source>
            <translation>Lier une pièce locale…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="303" />
            <source>List total {total} % — {short} % missing — rate today {rate} %</source>
            <translation>Total de la liste {total} % — il manque {short} % — taux aujourd'hui {rate} %</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="232" />
            <source>Local parts</source>
            <translation>Pièces locales</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="499" />
            <source>Milestones saved.</source>
            <translation>Jalons enregistrés.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="238" />
            <source>Minimum rate (%)</source>
            <translation>Taux minimal (%)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="170" />
            <source>No late step.</source>
            <translation>Aucune étape en retard.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="172" />
            <source>No roadmap step for this model yet: add one with “Add a step…”.</source>
            <translation>Aucune étape de feuille de route pour ce modèle : ajoutez-en une avec « Ajouter une étape… ».</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="167" />
            <source>No set in this model's reference list yet: add sets with “Add a set…” or import the list.</source>
            <translation>Aucun ensemble dans la liste de référence de ce modèle : ajoutez des ensembles avec « Ajouter un ensemble… » ou importez la liste.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="322" />
            <source>No vehicle model yet: add one with “Suppliers and models…” on the Parts page.</source>
            <translation>Aucun modèle de véhicule pour l’instant : ajoutez-en un avec « Fournisseurs et modèles… » sur la page Pièces.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="236" />
            <source>Owner</source>
            <translation>Responsable</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="511" />
            <source>PDF (*.pdf);;Excel (*.xlsx)</source>
            <translation>PDF (*.pdf);;Excel (*.xlsx)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="409" />
            <source>Part no longer realising {code}:</source>
            <translation>Pièce qui ne réalise plus {code} :</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="235" />
            <source>Rate on its date</source>
            <translation>Taux à sa date</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="238" />
            <source>Reference</source>
            <translation>Référence</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="215" />
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="425" />
            <source>Reference list</source>
            <translation>Liste de référence</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="463" />
            <source>Reference list imported.</source>
            <translation>Liste de référence importée.</translation>
        </message>
        <message>
            <source>Regulatory milestones</source>
            <translation type="vanished">Jalons réglementaires</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="217" />
            <source>Regulatory rules</source>
            <translation>Règles réglementaires</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="220" />
            <source>Remove</source>
            <translation>Retirer</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="446" />
            <source>Removed sets lose their links to parts: {codes}</source>
            <translation>Les ensembles retirés perdent leurs liens aux pièces : {codes}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="520" />
            <source>Report written: {path}</source>
            <translation>Rapport écrit : {path}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="210" />
            <source>Roadmap</source>
            <translation>Feuille de route</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="213" />
            <source>Roadmap and reference lists of</source>
            <translation>Feuille de route et listes de référence de</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="216" />
            <source>Roadmap steps</source>
            <translation>Étapes de la feuille de route</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="229" />
            <source>Rules for a missed milestone…</source>
            <translation>Règles en cas de jalon manqué…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="228" />
            <source>Save the milestones</source>
            <translation>Enregistrer les jalons</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="231" />
            <source>Set</source>
            <translation>Ensemble</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="226" />
            <source>Sign off…</source>
            <translation>Signer…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="236" />
            <source>Signed by both</source>
            <translation>Signée par les deux parties</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="235" />
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <source>Tables (*.xlsx *.csv)</source>
            <translation type="vanished">Tableaux (*.xlsx *.csv)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="426" />
            <source>Tables (*.xlsx *.xls *.ods *.csv)</source>
            <translation>Tableaux (*.xlsx *.xls *.ods *.csv)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="234" />
            <source>Target date</source>
            <translation>Date cible</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="234" />
            <source>Target rate</source>
            <translation>Taux cible</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="234" />
            <source>Title</source>
            <translation>Intitulé</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="408" />
            <source>Unlink a part</source>
            <translation>Délier une pièce</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="222" />
            <source>Unlink a part…</source>
            <translation>Délier une pièce…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="232" />
            <source>Why</source>
            <translation>Pourquoi</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="307" />
            <source>[edited at two sites] </source>
            <translation>[modifiée sur deux sites] </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="310" />
            <source>no</source>
            <translation>non</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="310" />
            <source>yes</source>
            <translation>oui</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/roadmap_page.py" line="440" />
            <source>{model}: {rows} sets — {added} added, {changed} changed, {removed} removed. The list totals {total} % ({short} % missing).</source>
            <translation>{model} : {rows} ensembles — {added} ajoutés, {changed} modifiés, {removed} retirés. La liste totalise {total} % (il manque {short} %).</translation>
        </message>
    </context>
    <context>
        <name>RoadmapReport</name>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="140" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="83" />
            <source>Approval date</source>
            <translation>Date d'agrément</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="60" />
            <source>Baseline / forecast</source>
            <translation>Référence / prévision</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="121" />
            <source>Baseline date</source>
            <translation>Date de référence</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="100" />
            <source>Code</source>
            <translation>Code</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="126" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="63" />
            <source>Components (APQP phase, volumes)</source>
            <translation>Composants (phase APQP, volumes)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="103" />
            <source>Contributory rate</source>
            <translation>Taux contributif</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="104" />
            <source>Counted</source>
            <translation>Compté</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="110" />
            <source>Date</source>
            <translation>Date</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="130" />
            <source>End of year {n}</source>
            <translation>Fin de l'année {n}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="113" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="88" />
            <source>Forecast</source>
            <translation>Prévision</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="122" />
            <source>Forecast date</source>
            <translation>Date prévue</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="141" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="169" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="121" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="84" />
            <source>Integration rate</source>
            <translation>Taux d'intégration</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="259" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="266" />
            <source>Integration rate and roadmap</source>
            <translation>Taux d'intégration et feuille de route</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="102" />
            <source>Kind</source>
            <translation>Type</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="124" />
            <source>Late (days)</source>
            <translation>Retard (jours)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="106" />
            <source>Local parts</source>
            <translation>Pièces locales</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="109" />
            <source>Milestone</source>
            <translation>Jalon</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="116" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="82" />
            <source>Model</source>
            <translation>Modèle</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="144" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="86" />
            <source>Next milestone</source>
            <translation>Prochain jalon</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="125" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="62" />
            <source>Owner</source>
            <translation>Responsable</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="284" />
            <source>Page {n}</source>
            <translation>Page {n}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="112" />
            <source>Rate reached</source>
            <translation>Taux atteint</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="269" />
            <source>Rates follow the reference list of each model (order of 18 October 2023); milestones per decree 22-384 art. 5 as configured; a missed milestone opens 12 months with the supply programme cut by 25 %, then a freeze (decree 24-159 art. 30).</source>
            <translation>Les taux suivent la liste de référence de chaque modèle (arrêté du 18 octobre 2023) ; jalons selon le décret 22-384 art. 5 tels que paramétrés ; un jalon manqué ouvre 12 mois avec le programme d'approvisionnement réduit de 25 %, puis un gel (décret 24-159 art. 30).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="142" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="85" />
            <source>Reference list total</source>
            <translation>Total de la liste de référence</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="127" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="64" />
            <source>Required evidence</source>
            <translation>Preuves requises</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="137" />
            <source>Roadmap</source>
            <translation>Feuille de route</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="198" />
            <source>Roadmap steps</source>
            <translation>Étapes de la feuille de route</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="101" />
            <source>Set</source>
            <translation>Ensemble</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="128" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="65" />
            <source>Sign-offs</source>
            <translation>Signatures</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="253" />
            <source>Site: {site} — situation on {day} — printed {at}</source>
            <translation>Site : {site} — situation au {day} — imprimé le {at}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="148" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="89" />
            <source>State</source>
            <translation>État</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="123" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="61" />
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="117" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="57" />
            <source>Step</source>
            <translation>Étape</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="81" />
            <source>Summary</source>
            <translation>Synthèse</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="111" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="59" />
            <location filename="../../desktop_app/documents/roadmap_workbook.py" line="87" />
            <source>Target</source>
            <translation>Cible</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="120" />
            <source>Target date</source>
            <translation>Date cible</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="119" />
            <source>Target rate</source>
            <translation>Taux cible</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="118" />
            <location filename="../../desktop_app/documents/roadmap_report.py" line="58" />
            <source>Title</source>
            <translation>Intitulé</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="105" />
            <source>Why</source>
            <translation>Pourquoi</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="132" />
            <source>no</source>
            <translation>non</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="240" />
            <source>red: regulatory minimum; blue: forecast</source>
            <translation>rouge : minimum réglementaire ; bleu : prévision</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="149" />
            <source>until {day}</source>
            <translation>jusqu'au {day}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_data.py" line="131" />
            <source>yes</source>
            <translation>oui</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="52" />
            <source>{day} — at least {target} (forecast {forecast})</source>
            <translation>{day} — au moins {target} (prévision {forecast})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/documents/roadmap_report.py" line="68" />
            <source>{n} days late</source>
            <translation>{n} jours de retard</translation>
        </message>
    </context>
    <context>
        <name>RoleDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="172" />
            <source>Change role</source>
            <translation>Changer le rôle</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/person_dialog.py" line="173" />
            <source>Role of {name} ({user})</source>
            <translation>Rôle de {name} ({user})</translation>
        </message>
    </context>
    <context>
        <name>Roles</name>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="23" />
            <source>Administrator</source>
            <translation>Administrateur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="22" />
            <source>Approver</source>
            <translation>Approbateur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="20" />
            <source>Engineer</source>
            <translation>Ingénieur</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="21" />
            <source>Quality inspector</source>
            <translation>Inspecteur qualité</translation>
        </message>
    </context>
    <context>
        <name>ScopeDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="263" />
            <source>Site {code} ({name}) may write these kinds of record here.</source>
            <translation>Le site {code} ({name}) peut écrire ici les types d'enregistrement suivants.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="266" />
            <source>The defaults of its kind</source>
            <translation>Valeurs par défaut de son type</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="262" />
            <source>What {code} may write here</source>
            <translation>Ce que {code} peut écrire ici</translation>
        </message>
    </context>
    <context>
        <name>SetDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="108" />
            <source>Code</source>
            <translation>Code</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="111" />
            <source>Contributory rate (%)</source>
            <translation>Taux contributif (%)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="110" />
            <source>Kind</source>
            <translation>Type</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="109" />
            <source>Name</source>
            <translation>Nom</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="113" />
            <source>Set of the reference list</source>
            <translation>Ensemble de la liste de référence</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="78" />
            <source> MB</source>
            <translation> Mo</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="72" />
            <source> min without input</source>
            <translation> min sans saisie</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="70" />
            <source>Language</source>
            <translation>Langue</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="77" />
            <source>Largest attachment</source>
            <translation>Pièce jointe la plus grande</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="71" />
            <source>Lock after</source>
            <translation>Verrouiller après</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="73" />
            <source>Never</source>
            <translation>Jamais</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="69" />
            <source>Settings</source>
            <translation>Paramètres</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/settings_dialog.py" line="75" />
            <source>When nobody touches the keyboard or mouse for this long, PartDesk hides the data until the same person enters their password again.</source>
            <translation>Si personne ne touche le clavier ni la souris pendant ce temps, PartDesk masque les données jusqu'à ce que la même personne saisisse de nouveau son mot de passe.</translation>
        </message>
    </context>
    <context>
        <name>SetupChecklist</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="104" />
            <source>Add a person…</source>
            <translation>Ajouter une personne…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="105" />
            <source>Add suppliers and models…</source>
            <translation>Ajouter des fournisseurs et des modèles…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="161" />
            <source>Done</source>
            <translation>Fait</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="123" />
            <source>Each part names its supplier and the vehicle models it goes into: add at least one of each.</source>
            <translation>Chaque pièce nomme son fournisseur et les modèles de véhicules où elle entre : ajoutez-en au moins un de chaque.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="117" />
            <source>Engineers who may register parts: {n}.</source>
            <translation>Ingénieurs qui peuvent enregistrer des pièces : {n}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="108" />
            <source>Enrol a site on the Sync page…</source>
            <translation>Enregistrer un site sur la page Synchronisation…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="139" />
            <source>Enrol the key of each site you exchange packages with.</source>
            <translation>Enregistrez la clé de chaque site avec lequel vous échangez des paquets.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="153" />
            <source>Hide the steps</source>
            <translation>Masquer les étapes</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="149" />
            <source>Next: {step}.</source>
            <translation>Ensuite : {step}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="118" />
            <source>Only an engineer may register parts and record tests. Add the people who work here, with their roles.</source>
            <translation>Seul un ingénieur peut enregistrer des pièces et des essais. Ajoutez les personnes qui travaillent ici, avec leur rôle.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="101" />
            <source>Other sites</source>
            <translation>Autres sites</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="138" />
            <source>Other sites enrolled: {n}.</source>
            <translation>Autres sites enregistrés : {n}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="99" />
            <source>Parts</source>
            <translation>Pièces</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="127" />
            <source>Parts registered: {n}.</source>
            <translation>Pièces enregistrées : {n}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="97" />
            <source>People</source>
            <translation>Personnes</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="106" />
            <source>Register a part…</source>
            <translation>Enregistrer une pièce…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="128" />
            <source>Register the first part, or import a sheet of parts on the Parts page.</source>
            <translation>Enregistrez la première pièce, ou importez une feuille de pièces sur la page Pièces.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="107" />
            <source>Save the key on the Sync page…</source>
            <translation>Enregistrer la clé sur la page Synchronisation…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="134" />
            <source>Save this site's public key and read its fingerprint to the other sites, so they can trust its packages and certificates.</source>
            <translation>Enregistrez la clé publique de ce site et lisez son empreinte aux autres sites, pour qu’ils puissent se fier à ses paquets et certificats.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="95" />
            <source>Setting up this site</source>
            <translation>Mise en place de ce site</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="152" />
            <source>Show the steps</source>
            <translation>Afficher les étapes</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="147" />
            <source>Steps done: {done} of {total}.</source>
            <translation>Étapes faites : {done} sur {total}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="98" />
            <source>Suppliers and vehicle models</source>
            <translation>Fournisseurs et modèles de véhicules</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="122" />
            <source>Suppliers and vehicle models: {n}.</source>
            <translation>Fournisseurs et modèles de véhicules : {n}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="100" />
            <source>This site's key</source>
            <translation>La clé de ce site</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="132" />
            <source>This site's public key was saved for the other sites.</source>
            <translation>La clé publique de ce site a été enregistrée pour les autres sites.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/setup_checklist.py" line="162" />
            <source>To do</source>
            <translation>À faire</translation>
        </message>
    </context>
    <context>
        <name>Shortcuts</name>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="224" />
            <source>&amp;Keyboard shortcuts…</source>
            <translation>&amp;Raccourcis clavier…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="140" />
            <source>Change the reading of the cell</source>
            <translation>Modifier la mesure de la cellule</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="144" />
            <source>Clear the reading of the cell</source>
            <translation>Effacer la mesure de la cellule</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="122" />
            <source>Close without saving</source>
            <translation>Fermer sans enregistrer</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/shortcuts_dialog.py" line="60" />
            <source>Does</source>
            <translation>Action</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="142" />
            <source>Drop what was typed in the cell</source>
            <translation>Abandonner la saisie dans la cellule</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/shortcuts_dialog.py" line="53" />
            <source>Everything can be done from the keyboard. In the measurement grid, type a reading into the chosen cell; a USB gauge or a footswitch that types like a keyboard works the same way, and so does a barcode scanner in any search field. On a French (AZERTY) keyboard, the digits of Ctrl+1 … Ctrl+8 are those of the numeric keypad, or of the top row with Shift.</source>
            <translation>Tout se fait au clavier. Dans la grille de mesures, tapez la mesure dans la cellule choisie ; un instrument de mesure USB ou une pédale qui saisit comme un clavier fonctionne de la même façon, tout comme un lecteur de codes-barres dans n'importe quel champ de recherche. Sur un clavier français (AZERTY), les chiffres de Ctrl+1 … Ctrl+8 sont ceux du pavé numérique, ou ceux de la rangée du haut avec Maj.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="110" />
            <source>Export a sync package</source>
            <translation>Exporter un paquet de synchronisation</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="112" />
            <source>Import a sync package</source>
            <translation>Importer un paquet de synchronisation</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="106" />
            <source>Import parts from a sheet (Excel, ODS or CSV)</source>
            <translation>Importer des pièces depuis une feuille (Excel, ODS ou CSV)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="35" />
            <source>In a dialog</source>
            <translation>Dans une boîte de dialogue</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="36" />
            <source>In a search field</source>
            <translation>Dans un champ de recherche</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="37" />
            <source>In the measurement grid</source>
            <translation>Dans la grille de mesures</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="136" />
            <source>Keep the reading and go across to the next characteristic</source>
            <translation>Garder la mesure et passer à la caractéristique suivante</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="138" />
            <source>Keep the reading and go back to the previous characteristic</source>
            <translation>Garder la mesure et revenir à la caractéristique précédente</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="134" />
            <source>Keep the reading and go back up</source>
            <translation>Garder la mesure et remonter</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="130" />
            <source>Keep the reading and go down to the next sample; after the last sample, to the next empty cell; on an empty cell (a footswitch), move on</source>
            <translation>Garder la mesure et descendre à l'échantillon suivant ; après le dernier, aller à la prochaine cellule vide ; sur une cellule vide (pédale), passer à la suivante</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/shortcuts_dialog.py" line="52" />
            <source>Keyboard shortcuts</source>
            <translation>Raccourcis clavier</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/shortcuts_dialog.py" line="60" />
            <source>Keys</source>
            <translation>Touches</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="118" />
            <source>List the keyboard shortcuts</source>
            <translation>Lister les raccourcis clavier</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="115" />
            <source>Lock the window now</source>
            <translation>Verrouiller la fenêtre maintenant</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="34" />
            <source>Main actions</source>
            <translation>Actions principales</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="105" />
            <source>New part</source>
            <translation>Nouvelle pièce</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="125" />
            <source>Open what the typed or scanned code names exactly (a part number, a gauge, a submission or certificate number); otherwise search for it</source>
            <translation>Ouvrir ce que désigne exactement le code tapé ou scanné (numéro de pièce, instrument de mesure, numéro de soumission ou de certificat) ; sinon le rechercher</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="33" />
            <source>Pages</source>
            <translation>Pages</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="108" />
            <source>Print the certificate chosen in the register</source>
            <translation>Imprimer le certificat choisi dans le registre</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="117" />
            <source>Quit</source>
            <translation>Quitter</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="114" />
            <source>Reload the page</source>
            <translation>Recharger la page</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="121" />
            <source>Save</source>
            <translation>Enregistrer</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="102" />
            <source>Search on this page (the parts registry where a page has no search)</source>
            <translation>Rechercher sur cette page (dans le registre des pièces si la page n'a pas de recherche)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="90" />
            <source>Show certification: submissions and the certificate register</source>
            <translation>Afficher la certification : soumissions et registre des certificats</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="95" />
            <source>Show sync: packages and sites</source>
            <translation>Afficher la synchronisation : paquets et sites</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="97" />
            <source>Show the conflicts to merge</source>
            <translation>Afficher les conflits à fusionner</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="84" />
            <source>Show the dashboard</source>
            <translation>Afficher le tableau de bord</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="88" />
            <source>Show the gauges register</source>
            <translation>Afficher le registre des instruments de mesure</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="86" />
            <source>Show the parts registry</source>
            <translation>Afficher le registre des pièces</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="99" />
            <source>Show the people and their roles</source>
            <translation>Afficher les personnes et leurs rôles</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="93" />
            <source>Show the roadmap</source>
            <translation>Afficher la feuille de route</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/shortcuts.py" line="260" />
            <source>“{action}”: choose what it applies to first.</source>
            <translation>« {action} » : choisissez d'abord à quoi l'appliquer.</translation>
        </message>
    </context>
    <context>
        <name>SignInDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="147" />
            <source>Checking the password…</source>
            <translation>Vérification du mot de passe…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="145" />
            <source>Language</source>
            <translation>Langue</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="138" />
            <source>PartDesk — Sign in</source>
            <translation>PartDesk — Connexion</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="144" />
            <source>Password</source>
            <translation>Mot de passe</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="148" />
            <source>Quit</source>
            <translation>Quitter</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="146" />
            <source>Sign in</source>
            <translation>Se connecter</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="139" />
            <source>Sign in to PartDesk</source>
            <translation>Connexion à PartDesk</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="141" />
            <source>Site {code} — {name}</source>
            <translation>Site {code} — {name}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sign_in_dialog.py" line="143" />
            <source>User name</source>
            <translation>Nom d'utilisateur</translation>
        </message>
    </context>
    <context>
        <name>SignOffDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="334" />
            <source>Comment</source>
            <translation>Commentaire</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="336" />
            <source>Sign off step {code}</source>
            <translation>Signer l'étape {code}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="333" />
            <source>Signing for</source>
            <translation>Signature pour le</translation>
        </message>
    </context>
    <context>
        <name>Sites</name>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="173" />
            <source>Carmaker</source>
            <translation>Constructeur automobile</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="172" />
            <source>Plant</source>
            <translation>Usine</translation>
        </message>
        <message>
            <location filename="../../desktop_app/domain/people.py" line="171" />
            <source>Supplier</source>
            <translation>Fournisseur</translation>
        </message>
    </context>
    <context>
        <name>StepDialog</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="214" />
            <source>APQP phase</source>
            <translation>Phase APQP</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="232" />
            <source>Baseline date</source>
            <translation>Date de référence</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="228" />
            <source>Code</source>
            <translation>Code</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="214" />
            <source>Component</source>
            <translation>Composant</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="194" />
            <source>Computed from the integration rate</source>
            <translation>Calculé à partir du taux d’intégration</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="204" />
            <source>Computed: {status}</source>
            <translation>Calculé : {status}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="233" />
            <source>Forecast date</source>
            <translation>Date prévue</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="215" />
            <source>Local</source>
            <translation>Local</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="230" />
            <source>Milestone (end of year n)</source>
            <translation>Jalon (fin de l'année n)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="234" />
            <source>Owner</source>
            <translation>Responsable</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="214" />
            <source>Part</source>
            <translation>Pièce</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="236" />
            <source>Planned vehicles</source>
            <translation>Véhicules prévus</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="237" />
            <source>Required evidence (one per line)</source>
            <translation>Preuves requises (une par ligne)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="202" />
            <source>Required when the status is set by hand</source>
            <translation>Requis quand le statut est fixé à la main</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="241" />
            <source>Roadmap step</source>
            <translation>Étape de la feuille de route</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="215" />
            <source>Set</source>
            <translation>Lot</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="234" />
            <source>Status</source>
            <translation>Statut</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="231" />
            <source>Target date</source>
            <translation>Date cible</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="229" />
            <source>Target rate (%)</source>
            <translation>Taux cible (%)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="228" />
            <source>Title</source>
            <translation>Intitulé</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="214" />
            <source>Volumes</source>
            <translation>Volumes</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="217" />
            <source>Volumes (2027-Q1: 1200; 2027-Q2: 3000)</source>
            <translation>Volumes (2027-Q1: 1200; 2027-Q2: 3000)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="235" />
            <source>Why set by hand</source>
            <translation>Pourquoi fixé à la main</translation>
        </message>
    </context>
    <context>
        <name>StepTimelineWidget</name>
        <message>
            <location filename="../../desktop_app/ui/widgets/step_timeline.py" line="38" />
            <source>No roadmap step yet.</source>
            <translation>Aucune étape pour l'instant.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/widgets/step_timeline.py" line="37" />
            <source>Today</source>
            <translation>Aujourd'hui</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/step_timeline.py" line="137" />
            <source>late by %Ln days</source>
            <translation>
                <numerusform>en retard de %Ln jour</numerusform>
                <numerusform>en retard de %Ln jours</numerusform>
            </translation>
        </message>
        <message>
            <source>late {n} d</source>
            <translation type="vanished">retard {n} j</translation>
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
            <translation>Provient de</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="372" />
            <source>Grace after a missed milestone (months)</source>
            <translation>Délai supplémentaire après un jalon manqué (mois)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="382" />
            <source>Rules for a missed milestone</source>
            <translation>Règles en cas de jalon manqué</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="370" />
            <source>Still missed at the end: the supply programme is frozen</source>
            <translation>Toujours manqué à la fin : le programme d’approvisionnement est gelé</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="374" />
            <source>Supply programme cut during the grace (%)</source>
            <translation>Réduction du programme d’approvisionnement pendant le délai (%)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/dialogs/roadmap_dialogs.py" line="369" />
            <source>The cut ends as soon as the rate is reached</source>
            <translation>La réduction prend fin dès que le taux est atteint</translation>
        </message>
    </context>
    <context>
        <name>SyncDialogs</name>
        <message>
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="232" />
            <source>A package from this site holding any other kind of record is refused. A site always writes its own site record and people; no other site may write them here, whatever is checked.</source>
            <translation>Un paquet de ce site contenant tout autre type d'enregistrement est refusé. Un site écrit toujours lui-même son enregistrement de site et ses personnes ; aucun autre site ne peut les écrire ici, quelles que soient les cases cochées.</translation>
        </message>
    </context>
    <context>
        <name>SyncPage</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="325" />
            <source>%Ln records hold competing versions; merge them on the Conflicts page.</source>
            <translation>
                <numerusform>%Ln enregistrement a des versions concurrentes ; fusionnez-le sur la page Conflits.</numerusform>
                <numerusform>%Ln enregistrements ont des versions concurrentes ; fusionnez-les sur la page Conflits.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="294" />
            <source>Checking the package…</source>
            <translation>Vérification du paquet…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="156" />
            <source>Enrol a site…</source>
            <translation>Enregistrer un site…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="152" />
            <source>Exchange with other sites</source>
            <translation>Échanges avec les autres sites</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="153" />
            <source>Export a package…</source>
            <translation>Exporter un paquet…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="164" />
            <source>File</source>
            <translation>Fichier</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="283" />
            <source>Import a package</source>
            <translation>Importer un paquet</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="154" />
            <source>Import a package…</source>
            <translation>Importer un paquet…</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="322" />
            <source>Imported package no. {seq} from {code}: %Ln new revisions.</source>
            <translation>
                <numerusform>Paquet n° {seq} de {code} importé : %Ln nouvelle révision.</numerusform>
                <numerusform>Paquet n° {seq} de {code} importé : %Ln nouvelles révisions.</numerusform>
            </translation>
        </message>
        <message>
            <source>Imported package no. {seq} from {code}: {new} new revisions.</source>
            <translation type="vanished">Paquet n° {seq} de {code} importé : {new} nouvelles révisions.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="313" />
            <source>Importing the package…</source>
            <translation>Import du paquet…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="161" />
            <source>Key</source>
            <translation>Clé</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="161" />
            <source>Key fingerprint</source>
            <translation>Empreinte de la clé</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="160" />
            <source>Kind</source>
            <translation>Type</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="162" />
            <source>Last package received</source>
            <translation>Dernier paquet reçu</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="161" />
            <source>Last package sent</source>
            <translation>Dernier paquet envoyé</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="160" />
            <source>May write here</source>
            <translation>Peut écrire ici</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="160" />
            <source>Name</source>
            <translation>Nom</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="123" />
            <source>No other site yet. Save this site's key, send it to the other sites, and enrol theirs with “Enrol a site…” (an administrator's work).</source>
            <translation>Aucun autre site pour l’instant. Enregistrez la clé de ce site, envoyez-la aux autres sites, et enregistrez les leurs avec « Enregistrer un site… » (travail d’administrateur).</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="126" />
            <source>No package was refused.</source>
            <translation>Aucun paquet n’a été refusé.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="162" />
            <source>Not sent yet</source>
            <translation>Pas encore envoyées</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="275" />
            <source>Package no. {seq} written to {path}: {revisions} revisions, {blobs} files.</source>
            <translation>Paquet n° {seq} écrit dans {path} : {revisions} révisions, {blobs} fichiers.</translation>
        </message>
        <message>
            <source>PartDesk packages (*.partdesk *.zip)</source>
            <translation type="vanished">Paquets PartDesk (*.partdesk *.zip)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="284" />
            <source>PartDesk packages (*.partdesk *.zip);;All files (*)</source>
            <translation>Paquets PartDesk (*.partdesk *.zip);;Tous les fichiers (*)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="164" />
            <source>Reason</source>
            <translation>Motif</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="411" />
            <source>Refuse every new package signed by {code}'s key? Packages already imported stay.</source>
            <translation>Refuser tout nouveau paquet signé par la clé de {code} ? Les paquets déjà importés sont conservés.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="164" />
            <source>Refused on</source>
            <translation>Refusé le</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="187" />
            <source>Refused packages ({n})</source>
            <translation>Paquets refusés ({n})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="410" />
            <source>Retire the site's key</source>
            <translation>Retirer la clé du site</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="157" />
            <source>Retire the site's key…</source>
            <translation>Retirer la clé du site…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="342" />
            <source>Save this site's key</source>
            <translation>Exporter la clé publique de ce site</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="155" />
            <source>Save this site's key…</source>
            <translation>Exporter la clé publique de ce site…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="160" />
            <source>Site</source>
            <translation>Site</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="344" />
            <source>Site key files (*.partdesk-key)</source>
            <translation>Fichiers de clé de site (*.partdesk-key)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="384" />
            <source>Site {code} ({name}) is enrolled.</source>
            <translation>Le site {code} ({name}) est enregistré.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="401" />
            <source>Site {code} may now write here: {types}.</source>
            <translation>Le site {code} peut désormais écrire ici : {types}.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="186" />
            <source>Sites ({n})</source>
            <translation>Sites ({n})</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="149" />
            <source>Sync</source>
            <translation>Synchronisation</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="423" />
            <source>The key of {code} is retired.</source>
            <translation>La clé de {code} est retirée.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="361" />
            <source>The public key of {code} is in {path}. Read its fingerprint out to the other site: {fp}</source>
            <translation>La clé publique de {code} se trouve dans {path}. Lisez son empreinte à l'autre site : {fp}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="320" />
            <source>This package was imported before; nothing changed.</source>
            <translation>Ce paquet a déjà été importé ; rien n'a changé.</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="188" />
            <source>This site: {code} — {name}. Key fingerprint: {fp}</source>
            <translation>Ce site : {code} — {name}. Empreinte de la clé : {fp}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="158" />
            <source>What it may write…</source>
            <translation>Ce qu'il peut écrire…</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="273" />
            <source>Writing the package…</source>
            <translation>Écriture du paquet…</translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="243" />
            <source>changed here (%Ln kinds)</source>
            <translation>
                <numerusform>modifié ici (%Ln type)</numerusform>
                <numerusform>modifié ici (%Ln types)</numerusform>
            </translation>
        </message>
        <message>
            <source>changed here ({n} kinds)</source>
            <translation type="vanished">modifié ici ({n} types)</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="192" />
            <source>enrolled</source>
            <translation>enregistrée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="197" />
            <source>no. {n}, made {made}, imported {at}</source>
            <translation>n° {n}, créé le {made}, importé le {at}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="194" />
            <source>no. {n}, {at}</source>
            <translation>n° {n}, {at}</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="193" />
            <source>not enrolled</source>
            <translation>non enregistrée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="192" />
            <source>retired</source>
            <translation>retirée</translation>
        </message>
        <message>
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="242" />
            <source>the defaults of its kind ({n})</source>
            <translation>les valeurs par défaut de son type ({n})</translation>
        </message>
        <message>
            <source>{n} records hold competing versions; merge them on the Conflicts page.</source>
            <translation type="vanished">{n} enregistrements ont des versions concurrentes ; fusionnez-les sur la page Conflits.</translation>
        </message>
    </context>
    <context>
        <name>TaskRunner</name>
        <message>
            <location filename="../../desktop_app/ui/tasks.py" line="93" />
            <source>Cancel</source>
            <translation>Annuler</translation>
        </message>
    </context>
    <context>
        <name>cli</name>
        <message>
            <source>  (superseded)</source>
            <translation type="vanished">  (remplacé)</translation>
        </message>
        <message>
            <source>  OVERDUE</source>
            <translation type="vanished">  ÉCHU</translation>
        </message>
        <message>
            <source>  {type}: {new} new, {known} already known, {conflicting} conflicting</source>
            <translation type="vanished">  {type} : {new} nouvelles, {known} déjà connues, {conflicting} en conflit</translation>
        </message>
        <message>
            <source> Details: {log}</source>
            <translation type="vanished"> Détails : {log}</translation>
        </message>
        <message>
            <source> for {site}</source>
            <translation type="vanished"> pour {site}</translation>
        </message>
        <message>
            <source>Added {n} characteristics.</source>
            <translation type="vanished">{n} caractéristiques ajoutées.</translation>
        </message>
        <message>
            <source>Added {user} as {role}.</source>
            <translation type="vanished">{user} ajouté avec le rôle {role}.</translation>
        </message>
        <message>
            <source>All checks passed: database, audit log, revisions and files.</source>
            <translation type="vanished">Toutes les vérifications sont réussies : base de données, journal d'audit, révisions et fichiers.</translation>
        </message>
        <message>
            <source>Backup written: {path}</source>
            <translation type="vanished">Sauvegarde écrite : {path}</translation>
        </message>
        <message>
            <source>Dry run: nothing was changed.</source>
            <translation type="vanished">Simulation : rien n'a été modifié.</translation>
        </message>
        <message>
            <source>Dry run: nothing was saved.</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">Simulation : rien n'a été enregistré.</translation>
        </message>
        <message>
            <source>Files: {new} new of {total}.</source>
            <translation type="vanished">Fichiers : {new} nouveaux sur {total}.</translation>
        </message>
        <message>
            <source>Gauge {code} added (due {due}).</source>
            <translation type="vanished">Instrument {code} ajouté (échéance d'étalonnage {due}).</translation>
        </message>
        <message>
            <source>Grace period until {day}; supply programme at {factor} of plan.</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">Délai de grâce jusqu'au {day} ; programme d'approvisionnement à {factor} du plan.</translation>
        </message>
        <message>
            <source>Imported: {created} new, {changed} changed, {suppliers} suppliers created.</source>
            <translation type="vanished">Importé : {created} nouveaux, {changed} modifiés, {suppliers} fournisseurs créés.</translation>
        </message>
        <message>
            <source>Imported: {new} new revisions.</source>
            <translation type="vanished">Importé : {new} nouvelles révisions.</translation>
        </message>
        <message>
            <source>Interrupted; nothing more was changed.</source>
            <translation type="vanished">Interrompu ; rien de plus n'a été modifié.</translation>
        </message>
        <message>
            <source>It is older than the last package received from {code} ({last}); only what is missing is applied.</source>
            <translation type="vanished">Il est plus ancien que le dernier paquet reçu de {code} ({last}) ; seul ce qui manque est appliqué.</translation>
        </message>
        <message>
            <source>Linked {part} to {set}.</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">{part} est liée à {set}.</translation>
        </message>
        <message>
            <source>Merged {record}: version {rev}.</source>
            <translation type="vanished">{record} fusionné : version {rev}.</translation>
        </message>
        <message>
            <source>Next milestone: {day}, at least {target} (forecast {forecast})</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">Prochain jalon : {day}, au moins {target} (prévision {forecast})</translation>
        </message>
        <message>
            <source>No characteristics.</source>
            <translation type="vanished">Aucune caractéristique.</translation>
        </message>
        <message>
            <source>No files.</source>
            <translation type="vanished">Aucun fichier.</translation>
        </message>
        <message>
            <source>No gauges.</source>
            <translation type="vanished">Aucun instrument de mesure.</translation>
        </message>
        <message>
            <source>No other site is enrolled.</source>
            <translation type="vanished">Aucun autre site n'est enregistré.</translation>
        </message>
        <message>
            <source>No readings file given.</source>
            <translation type="vanished">Aucun fichier de mesures indiqué.</translation>
        </message>
        <message>
            <source>No record holds competing versions.</source>
            <translation type="vanished">Aucun enregistrement n'a de versions concurrentes.</translation>
        </message>
        <message>
            <source>No reports.</source>
            <translation type="vanished">Aucun rapport.</translation>
        </message>
        <message>
            <source>No step.</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">Aucune étape.</translation>
        </message>
        <message>
            <source>No vehicle model yet.</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">Aucun modèle de véhicule pour l'instant.</translation>
        </message>
        <message>
            <source>Nothing was imported.</source>
            <translation type="vanished">Rien n'a été importé.</translation>
        </message>
        <message>
            <source>Package {path} written: number {seq}, {revisions} revisions, {blobs} files, {size} bytes{target}.</source>
            <translation type="vanished">Paquet {path} écrit : n° {seq}, {revisions} révisions, {blobs} fichiers, {size} octets{target}.</translation>
        </message>
        <message>
            <source>Package {seq} from {code} ({name}), made {at}.</source>
            <translation type="vanished">Paquet n° {seq} de {code} ({name}), créé le {at}.</translation>
        </message>
        <message>
            <source>Public key of {code} written to {path}.
Fingerprint: {fp}
Read the fingerprint out to the other site's administrator by phone or give it on paper.</source>
            <translation type="vanished">Clé publique de {code} écrite dans {path}.
Empreinte : {fp}
Lisez l'empreinte à l'administrateur de l'autre site par téléphone ou remettez-la sur papier.</translation>
        </message>
        <message>
            <source>Rate on {day}: {rate}   (list totals {total}, {short} missing)</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">Taux au {day} : {rate}   (la liste totalise {total}, il manque {short})</translation>
        </message>
        <message>
            <source>Report written: {path}</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">Rapport écrit : {path}</translation>
        </message>
        <message>
            <source>Report {number} recorded: {verdict}.</source>
            <translation type="vanished">Rapport {number} enregistré : {verdict}.</translation>
        </message>
        <message>
            <source>Restored {file}; the previous state is kept in {safety}.</source>
            <translation type="vanished">{file} restauré ; l'état précédent est conservé dans {safety}.</translation>
        </message>
        <message>
            <source>Saved {path}</source>
            <translation type="vanished">{path} enregistré</translation>
        </message>
        <message>
            <source>Site {code} ({name}) is enrolled; fingerprint {fp}.</source>
            <translation type="vanished">Le site {code} ({name}) est enregistré ; empreinte {fp}.</translation>
        </message>
        <message>
            <source>Site {code} ({name}) is set up in {folder}.
Administrator: {admin}
Key fingerprint: {fp}</source>
            <translation type="vanished">Le site {code} ({name}) est configuré dans {folder}.
Administrateur : {admin}
Empreinte de la clé : {fp}</translation>
        </message>
        <message>
            <source>Step {code} signed for the {party}.</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">Étape {code} signée pour le {party}.</translation>
        </message>
        <message>
            <source>Superseded by a correction.</source>
            <translation type="vanished">Remplacé par une correction.</translation>
        </message>
        <message>
            <source>Supplier {code} registered.</source>
            <translation type="vanished">Fournisseur {code} enregistré.</translation>
        </message>
        <message>
            <source>Suppliers to create: {names}</source>
            <translation type="vanished">Fournisseurs à créer : {names}</translation>
        </message>
        <message>
            <source>The key of site {code} is retired: new packages from it are refused.</source>
            <translation type="vanished">La clé du site {code} est retirée : ses nouveaux paquets sont refusés.</translation>
        </message>
        <message>
            <source>The password of {user} was reset.</source>
            <translation type="vanished">Le mot de passe de {user} a été réinitialisé.</translation>
        </message>
        <message>
            <source>This package was imported before; nothing changes.</source>
            <translation type="vanished">Ce paquet a déjà été importé ; rien ne change.</translation>
        </message>
        <message>
            <source>Total: {rate}</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">Total : {rate}</translation>
        </message>
        <message>
            <source>Unexpected error ({kind}).</source>
            <translation type="vanished">Erreur inattendue ({kind}).</translation>
        </message>
        <message>
            <source>Vehicle model {code} registered.</source>
            <translation type="vanished">Modèle de véhicule {code} enregistré.</translation>
        </message>
        <message>
            <source>Verdict: {verdict}</source>
            <translation type="vanished">Verdict : {verdict}</translation>
        </message>
        <message>
            <source>Would add {n} characteristics.</source>
            <translation type="vanished">{n} caractéristiques seraient ajoutées.</translation>
        </message>
        <message>
            <source>Wrote {file}.</source>
            <translation type="vanished">{file} écrit.</translation>
        </message>
        <message>
            <source>enrolled</source>
            <translation type="vanished">enregistré</translation>
        </message>
        <message>
            <source>expires within 30 days</source>
            <translation type="vanished">expire dans les 30 jours</translation>
        </message>
        <message>
            <source>late by {n} days</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">en retard de {n} jours</translation>
        </message>
        <message>
            <source>not enrolled</source>
            <translation type="vanished">non enregistré</translation>
        </message>
        <message>
            <source>retired</source>
            <translation type="vanished">retiré</translation>
        </message>
        <message>
            <source>{code}  {name} ({kind}), {state}; fingerprint {fp}
      sent: no. {sent} {sent_at}; received: no. {got} {got_at}; {pending} revisions not sent yet</source>
            <translation type="vanished">{code}  {name} ({kind}), {state} ; empreinte {fp}
      envoyé : n° {sent} {sent_at} ; reçu : n° {got} {got_at} ; {pending} révisions pas encore envoyées</translation>
        </message>
        <message>
            <source>{code} — {name}   approved {approval}   state: {state}</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">{code} — {name}   agréé le {approval}   état : {state}</translation>
        </message>
        <message>
            <source>{count} parts written to {file}</source>
            <translation type="vanished">{count} pièces écrites dans {file}</translation>
        </message>
        <message>
            <source>{file}: {new} new, {changed} changed, {unchanged} unchanged, {error} with errors</source>
            <translation type="vanished">{file} : {new} nouveaux, {changed} modifiés, {unchanged} inchangés, {error} en erreur</translation>
        </message>
        <message>
            <source>{model}: {rows} sets, {added} added, {changed} changed, {removed} removed; the list totals {total} ({short} missing).</source>
            <comment>RoadmapCli</comment>
            <translation type="vanished">{model} : {rows} ensembles, {added} ajoutés, {changed} modifiés, {removed} retirés ; la liste totalise {total} (il manque {short}).</translation>
        </message>
        <message>
            <source>{n} certificate(s)</source>
            <translation type="vanished">{n} certificat(s)</translation>
        </message>
        <message>
            <source>{n} records now hold competing versions; see 'partdesk conflicts list'.</source>
            <translation type="vanished">{n} enregistrements ont maintenant des versions concurrentes ; voir « partdesk conflicts list ».</translation>
        </message>
        <message>
            <source>{shown} of {total} parts</source>
            <translation type="vanished">{shown} pièces sur {total}</translation>
        </message>
        <message>
            <source>{user} is disabled.</source>
            <translation type="vanished">{user} est désactivé.</translation>
        </message>
        <message>
            <source>{user} is enabled.</source>
            <translation type="vanished">{user} est activé.</translation>
        </message>
        <message>
            <source>{user} is now {role}.</source>
            <translation type="vanished">{user} a maintenant le rôle {role}.</translation>
        </message>
    </context>
</TS>
