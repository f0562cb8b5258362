"""Demo step 2: suppliers, two Jetour models assembled in Algeria and about sixty local parts.

Company names and certificate numbers are fictitious but shaped like the real thing. The approval
dates start the regulatory clock of decree 22-384: the X70 Plus was approved about three and a half
years before 2026-11-26 (the roadmap can put it on track), the Dashing about a year and a half
before (at risk).

Leaves in demo.refs: "suppliers" (code -> id), "models" (code -> id), "parts" (part number ->
id of its latest drawing revision), "part_revisions" ((part number, revision) -> id).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.domain.parts import PartDraft, PartStatus, SupplierDraft, VehicleModelDraft
from desktop_app.services.parts import PartService
from desktop_app.services.suppliers import SupplierService, VehicleModelService

if TYPE_CHECKING:
    from desktop_app.demo import Demo

SUPPLIERS = (
    SupplierDraft(name="Massar Emboutissage Rouiba", code="MER", country="DZ",
                  site="Zone industrielle de Rouiba, Alger",
                  contact="Yacine Ouali, +213 23 86 41 10",
                  iso9001_certificate="DZ-QMS-2024-0187", iso9001_expiry="2027-03-14",
                  iatf16949_certificate="IATF 0453817", iatf16949_expiry="2027-09-30"),
    SupplierDraft(name="SNS Forge et Fonderie El Hadjar", code="SFH", country="DZ",
                  site="Complexe d'El Hadjar, Annaba", contact="Rachid Bouzid, +213 38 51 22 04",
                  iso9001_certificate="DZ-QMS-2023-0412", iso9001_expiry="2026-12-20",
                  iatf16949_certificate="IATF 0447290", iatf16949_expiry="2026-12-20"),
    SupplierDraft(name="Boulonnerie Visserie de l'Est", code="BVE", country="DZ",
                  site="Zone industrielle Aïn Smara, Constantine",
                  contact="Leila Hamdi, +213 31 97 30 55",
                  iso9001_certificate="DZ-QMS-2025-0033", iso9001_expiry="2028-01-31"),
    SupplierDraft(name="Sétif Plasturgie et Câblage", code="SPC", country="DZ",
                  site="Zone d'activités El Eulma, Sétif", contact="Mourad Saadi, +213 36 87 14 72",
                  iso9001_certificate="DZ-QMS-2024-0299", iso9001_expiry="2027-06-30",
                  iatf16949_certificate="IATF 0461158", iatf16949_expiry="2027-11-15"),
)

MODELS = (
    VehicleModelDraft(code="X70P", carmaker="Jetour", model="X70 Plus",
                      vehicle_type="SUV, 7 places", power_range="1.5 T, 115 kW",
                      approval_date="2023-05-29"),
    VehicleModelDraft(code="DASH", carmaker="Jetour", model="Dashing",
                      vehicle_type="SUV compact, 5 places", power_range="1.6 T, 145 kW",
                      approval_date="2025-05-22"),
)

BOTH = ("X70P", "DASH")
X70 = ("X70P",)
DASH = ("DASH",)

# number, family, supplier, models, (fr, en, ar, zh), material, grade, mass kg, volume/year,
# CC/SC, history: the statuses of its drawing revisions, oldest first ("A:released B:dev").
PARTS: tuple[tuple, ...] = (
    ("JX7-2803011", "plastic_trim", "SPC", X70, ("Pare-chocs avant", "Front bumper",
     "واقي الصدمات الأمامي", "前保险杠"), "PP-EPDM", "T20", "3.85", 12000, False, "A:obs B:rel"),
    ("JX7-2804011", "plastic_trim", "SPC", X70, ("Pare-chocs arrière", "Rear bumper",
     "واقي الصدمات الخلفي", "后保险杠"), "PP-EPDM", "T20", "3.40", 12000, False, "A:rel"),
    ("JX7-8402010", "body_stamping", "MER", X70, ("Capot moteur", "Bonnet",
     "غطاء المحرك", "发动机罩"), "Acier", "DC04", "9.60", 12000, False, "A:rel"),
    ("JX7-6101110", "body_stamping", "MER", X70, ("Panneau extérieur de porte avant",
     "Front door outer panel", "اللوح الخارجي للباب الأمامي", "前门外板"), "Acier",
     "HC180B", "4.20", 24000, False, "A:rel B:dev"),
    ("JX7-5701010", "body_stamping", "MER", X70, ("Pavillon", "Roof panel", "لوح السقف",
     "顶盖"), "Acier", "DC04", "11.20", 12000, False, "A:rel"),
    ("JX7-8403011", "body_stamping", "MER", X70, ("Aile avant gauche", "Front left fender",
     "الرفرف الأمامي الأيسر", "左前翼子板"), "Acier", "DC05", "2.10", 12000, False, "A:rel"),
    ("JX7-5101011", "body_stamping", "MER", X70, ("Plancher avant", "Front floor panel",
     "أرضية أمامية", "前地板"), "Acier", "DC03", "14.30", 12000, True, "A:dev"),
    ("JCM-5301010", "body_stamping", "MER", BOTH, ("Traverse avant", "Front cross member",
     "العارضة الأمامية", "前横梁"), "Acier", "HC340LA", "2.35", 30000, True, "A:obs B:obs C:rel"),
    ("JCM-5401220", "body_stamping", "MER", BOTH, ("Renfort de pied milieu",
     "B-pillar reinforcement", "تقوية العمود الأوسط", "B柱加强板"), "Acier",
     "22MnB5 emboutissage à chaud", "3.05", 60000, True, "A:rel"),
    ("JDS-6301120", "body_stamping", "MER", DASH, ("Panneau intérieur de hayon",
     "Tailgate inner panel", "اللوح الداخلي للباب الخلفي", "尾门内板"), "Acier", "DC04",
     "6.70", 8000, False, "A:dev"),
    ("JDS-8403012", "body_stamping", "MER", DASH, ("Aile avant droite", "Front right fender",
     "الرفرف الأمامي الأيمن", "右前翼子板"), "Acier", "DC05", "2.05", 8000, False, "A:dev"),
    ("JX7-2810010", "welded_assembly", "MER", X70, ("Berceau avant", "Front subframe",
     "الإطار الفرعي الأمامي", "前副车架"), "Acier", "SAPH440", "17.80", 12000, True,
     "A:rel B:dev"),
    ("JCM-2910010", "welded_assembly", "MER", BOTH, ("Traverse d'essieu arrière",
     "Rear axle beam", "عارضة المحور الخلفي", "后桥横梁"), "Acier", "QStE420TM", "14.60",
     20000, True, "A:rel"),
    ("JCM-6800110", "welded_assembly", "MER", BOTH, ("Armature de siège avant",
     "Front seat frame", "هيكل المقعد الأمامي", "前座椅骨架"), "Acier", "HC420LA", "6.90",
     40000, True, "A:dev"),
    ("JDS-1201310", "welded_assembly", "MER", DASH, ("Support d'échappement",
     "Exhaust bracket", "حامل العادم", "排气管支架"), "Acier inoxydable", "1.4509", "0.42",
     8000, False, "A:dev"),
    ("JCM-3501075", "casting", "SFH", BOTH, ("Disque de frein avant", "Front brake disc",
     "قرص الفرامل الأمامي", "前制动盘"), "Fonte", "EN-GJL-250", "8.30", 40000, True,
     "A:rel"),
    ("JCM-3501211", "casting", "SFH", BOTH, ("Chape d'étrier de frein",
     "Brake caliper bracket", "حامل ملقط الفرامل", "制动钳支架"), "Fonte", "EN-GJS-500-7",
     "1.45", 40000, True, "A:rel B:rel"),
    ("JX7-3001011", "casting", "SFH", X70, ("Fusée de direction", "Steering knuckle",
     "مفصل التوجيه", "转向节"), "Fonte", "EN-GJS-400-15", "4.90", 24000, True, "A:dev"),
    ("JDS-1001110", "casting", "SFH", DASH, ("Support moteur", "Engine mount bracket",
     "حامل المحرك", "发动机支架"), "Aluminium", "AlSi7Mg0,3", "1.10", 8000, False, "A:dev"),
    ("JCM-3103015", "forging", "SFH", BOTH, ("Moyeu de roue", "Wheel hub", "محور العجلة",
     "轮毂"), "Acier", "C45", "2.60", 80000, True, "A:rel"),
    ("JCM-2203010", "forging", "SFH", BOTH, ("Arbre de transmission", "Drive shaft",
     "عمود الإدارة", "传动轴"), "Acier", "42CrMo4", "5.20", 40000, True, "A:dev"),
    ("JX7-3401021", "forging", "SFH", X70, ("Bras de suspension inférieur",
     "Lower control arm", "ذراع التعليق السفلي", "下摆臂"), "Acier", "38MnVS6", "3.30", 24000,
     True, "A:obs"),
    ("Q150B1030", "fastener", "BVE", BOTH, ("Vis à embase M10x30", "Hex flange bolt M10x30",
     "برغي بشفة M10x30", "六角法兰螺栓M10x30"), "Acier", "classe 10.9", "0.031", 900000,
     False, "A:rel"),
    ("Q32608", "fastener", "BVE", BOTH, ("Écrou à souder M8", "Weld nut M8",
     "صامولة لحام M8", "焊接螺母M8"), "Acier", "classe 8", "0.008", 1500000, False, "A:rel"),
    ("JCM-3101017", "fastener", "BVE", BOTH, ("Boulon de roue M12x1,5", "Wheel bolt M12x1.5",
     "برغي العجلة M12x1.5", "车轮螺栓M12x1.5"), "Acier", "classe 10.9", "0.065", 200000,
     True, "A:rel"),
    ("Q2744213", "fastener", "BVE", BOTH, ("Agrafe de garniture", "Trim clip", "مشبك الكسوة",
     "内饰卡扣"), "Polyamide", "PA66", "0.002", 2000000, False, "A:rel"),
    ("Q1840820", "fastener", "BVE", X70, ("Vis à tôle ST4,8", "Tapping screw ST4.8",
     "برغي صفائح ST4.8", "自攻螺钉ST4.8"), "Acier", "zingué", "0.004", 600000, False,
     "A:dev"),
    ("JX7-5206010", "glass", "", X70, ("Pare-brise feuilleté", "Laminated windscreen",
     "الزجاج الأمامي المصفح", "前挡风玻璃"), "Verre feuilleté", "PVB 0,76", "13.50", 12000,
     True, "A:dev"),
    ("JX7-5606010", "glass", "", X70, ("Lunette arrière chauffante", "Heated rear window",
     "الزجاج الخلفي المدفأ", "后风窗玻璃"), "Verre trempé", "", "7.10", 12000, False, "A:dev"),
    ("JDS-6103110", "glass", "", DASH, ("Vitre de porte avant", "Front door glass",
     "زجاج الباب الأمامي", "前门玻璃"), "Verre trempé", "", "3.20", 16000, False, "A:dev"),
    ("JX7-5305010", "plastic_trim", "SPC", X70, ("Planche de bord", "Instrument panel",
     "لوحة القيادة", "仪表板"), "PP", "TD20", "6.40", 12000, False, "A:dev"),
    ("JX7-6102010", "plastic_trim", "SPC", X70, ("Garniture de porte avant",
     "Front door trim", "كسوة الباب الأمامي", "前门内饰板"), "PP", "T20 grainé", "1.90", 24000,
     False, "A:rel"),
    ("JCM-8403310", "plastic_trim", "SPC", BOTH, ("Pare-boue de passage de roue",
     "Wheel arch liner", "بطانة قوس العجلة", "轮罩衬板"), "PP", "non-tissé", "0.85", 40000,
     False, "A:rel"),
    ("JDS-8401010", "plastic_trim", "SPC", DASH, ("Calandre", "Radiator grille",
     "شبكة المبرد", "进气格栅"), "ABS chromé", "", "2.40", 8000, False, "A:dev"),
    ("JCM-8101310", "plastic_trim", "SPC", BOTH, ("Bac de batterie", "Battery tray",
     "حامل البطارية", "蓄电池托盘"), "PP", "GF30", "0.95", 20000, False, "A:obs"),
    ("JX7-6800010", "seat", "", X70, ("Siège conducteur complet", "Driver seat assembly",
     "مقعد السائق الكامل", "驾驶员座椅总成"), "Acier / mousse PU", "", "21.00", 12000, True,
     "A:dev"),
    ("JX7-7000010", "seat", "", X70, ("Assise de banquette arrière", "Rear seat cushion",
     "وسادة المقعد الخلفي", "后排座椅坐垫"), "Mousse PU / tissu", "", "6.80", 12000, False,
     "A:dev"),
    ("JDS-6800020", "seat", "", DASH, ("Siège passager avant", "Front passenger seat",
     "مقعد الراكب الأمامي", "副驾驶座椅"), "Acier / mousse PU", "", "19.50", 8000, True,
     "A:dev"),
    ("JX7-3724010", "harness", "SPC", X70, ("Faisceau moteur", "Engine harness",
     "ضفيرة أسلاك المحرك", "发动机线束"), "Cuivre / PVC", "FLRY-B", "3.10", 12000, True,
     "A:rel B:dev"),
    ("JX7-3724020", "harness", "SPC", X70, ("Faisceau habitacle", "Cabin harness",
     "ضفيرة أسلاك المقصورة", "车身线束"), "Cuivre / PVC", "FLRY-B", "7.40", 12000, True,
     "A:rel"),
    ("JDS-3724030", "harness", "SPC", DASH, ("Faisceau de porte avant", "Front door harness",
     "ضفيرة أسلاك الباب الأمامي", "前门线束"), "Cuivre / PVC", "FLRY-A", "0.90", 16000, False,
     "A:dev"),
    ("JCM-3100011", "tyre", "", BOTH, ("Pneumatique 225/65 R17", "Tyre 225/65 R17",
     "إطار 225/65 R17", "轮胎 225/65 R17"), "Caoutchouc", "102H", "10.90", 80000, True,
     "A:dev"),
    ("JCM-3100030", "tyre", "", BOTH, ("Roue de secours T155/90 R17", "Spare wheel T155/90 R17",
     "العجلة الاحتياطية", "备胎"), "Caoutchouc / acier", "", "12.40", 20000, False, "A:rel"),
    ("JCM-3703010", "battery", "", BOTH, ("Batterie 12 V 60 Ah", "Battery 12 V 60 Ah",
     "بطارية 12 فولت 60 أمبير ساعة", "蓄电池 12V 60Ah"), "Plomb-calcium", "EFB", "15.20",
     20000, True, "A:rel"),
    ("JCM-3901010", "other", "", BOTH, ("Cric", "Jack", "رافعة", "千斤顶"), "Acier", "", "2.80",
     20000, False, "A:rel"),
    ("JCM-3900020", "other", "", BOTH, ("Trousse à outils", "Tool kit", "حقيبة الأدوات",
     "随车工具包"), "Divers", "", "0.70", 20000, False, "A:dev"),
    ("JDS-5109010", "other", "SPC", DASH, ("Tapis de sol", "Floor mats", "دواسات الأرضية",
     "脚垫"), "Moquette aiguilletée", "", "2.10", 8000, False, "A:dev"),
    ("JX7-1101050", "body_stamping", "MER", X70, ("Sangle de réservoir", "Fuel tank strap",
     "حزام خزان الوقود", "油箱绑带"), "Acier", "DX51D+Z", "0.38", 24000, True, "A:rel"),
    ("JX7-1201410", "body_stamping", "MER", X70, ("Écran thermique d'échappement",
     "Exhaust heat shield", "درع حراري للعادم", "排气隔热板"), "Acier aluminié", "DX53D+AS",
     "0.55", 12000, False, "A:rel"),
)

STATUS = {"dev": PartStatus.IN_DEVELOPMENT, "rel": PartStatus.RELEASED,
          "obs": PartStatus.OBSOLETE}
REASONS = {
    "B": "Modification plan : épaisseur et rayons revus après essais de mise en forme",
    "C": "Modification plan : trous de fixation déplacés (demande Jetour ECN)",
}


def build(demo: Demo) -> None:
    ctx = demo.ctx
    quality = demo.actor("s.haddad")
    methods = demo.actor("k.benali")
    suppliers = {s.code: SupplierService(ctx).add_supplier(quality, s).supplier_id
                 for s in SUPPLIERS}
    models = {m.code: VehicleModelService(ctx).add_model(methods, m).model_id for m in MODELS}
    service = PartService(ctx)
    latest: dict[str, str] = {}
    revisions: dict[tuple[str, str], str] = {}
    count = 0
    for index, row in enumerate(PARTS):
        number, family, supplier, used_on, names, material, grade, mass, volume, cc, history = row
        fr, en, ar, zh = names
        # Every third part carries all four languages; the others French and English only.
        designations = {"fr": fr, "en": en, **({"ar": ar, "zh": zh} if index % 3 != 2 else {})}
        actor = methods if index % 2 == 0 else quality
        previous = ""
        for step in history.split():
            revision, status = step.split(":")
            draft = PartDraft(
                part_number=number, revision=revision, designation=fr, family=family,
                supplier_id=suppliers.get(supplier, ""),
                vehicle_model_ids=tuple(models[m] for m in used_on), designations=designations,
                material=material, grade=grade, mass_kg=mass, unit="pc",
                drawing_ref=f"{number}-DWG-{revision}", special_characteristics=cc,
                annual_volume=volume,
                notes="Pièce de la première vague de localisation." if index < 10 else "")
            if previous:
                detail = service.new_drawing_revision(actor, previous, draft,
                                                      reason=REASONS.get(revision, ""))
            else:
                detail = service.register_part(actor, draft, reason="Pièce reprise de la "
                                               "nomenclature Jetour")
            target = STATUS[status]
            if target != PartStatus.IN_DEVELOPMENT:
                service.change_status(actor, detail.part_id, PartStatus.RELEASED,
                                      reason="Plan validé par Jetour")
            if target == PartStatus.OBSOLETE:
                service.change_status(actor, detail.part_id, PartStatus.OBSOLETE,
                                      reason="Remplacé par l'indice suivant"
                                      if step != history.split()[-1] else "Pièce abandonnée")
            previous = detail.part_id
            revisions[(number, revision)] = detail.part_id
            count += 1
        latest[number] = previous
    demo.refs["suppliers"] = suppliers
    demo.refs["models"] = models
    demo.refs["parts"] = latest
    demo.refs["part_revisions"] = revisions
    demo.summary["parts"] = (f"{len(suppliers)} suppliers, {len(models)} vehicle models, "
                             f"{count} part revisions of {len(latest)} part numbers")
