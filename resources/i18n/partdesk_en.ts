<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
    <context>
        <name>Certification</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/certificate_register_widget.py" line="154" />
            <source>%Ln certificates</source>
            <translation>
                <numerusform>%Ln certificate</numerusform>
                <numerusform>%Ln certificates</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Cli</name>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/retention.py" line="61" />
            <source>  PAST RETENTION: %Ln records</source>
            <translation>
                <numerusform>  PAST RETENTION: %Ln record</numerusform>
                <numerusform>  PAST RETENTION: %Ln records</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/certification.py" line="76" />
            <source>%Ln certificates</source>
            <translation>
                <numerusform>%Ln certificate</numerusform>
                <numerusform>%Ln certificates</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/deviations.py" line="77" />
            <source>%Ln deviations</source>
            <translation>
                <numerusform>%Ln deviation</numerusform>
                <numerusform>%Ln deviations</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/laboratories.py" line="66" />
            <source>%Ln laboratories</source>
            <translation>
                <numerusform>%Ln laboratory</numerusform>
                <numerusform>%Ln laboratories</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/retention.py" line="63" />
            <source>%Ln part revisions out of production</source>
            <translation>
                <numerusform>%Ln part revision out of production</numerusform>
                <numerusform>%Ln part revisions out of production</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/parts.py" line="218" />
            <source>%Ln parts written to {file}</source>
            <translation>
                <numerusform>%Ln part written to {file}</numerusform>
                <numerusform>%Ln parts written to {file}</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/sync.py" line="124" />
            <source>%Ln records now hold competing versions; see 'partdesk conflicts list'.</source>
            <translation>
                <numerusform>%Ln record now holds competing versions; see 'partdesk conflicts list'.</numerusform>
                <numerusform>%Ln records now hold competing versions; see 'partdesk conflicts list'.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/retention.py" line="52" />
            <source>%Ln records past retention; none is deleted.</source>
            <translation>
                <numerusform>%Ln record past retention; it is not deleted.</numerusform>
                <numerusform>%Ln records past retention; none is deleted.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/evidence.py" line="170" />
            <source>Added %Ln characteristics.</source>
            <translation>
                <numerusform>Added %Ln characteristic.</numerusform>
                <numerusform>Added %Ln characteristics.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/sync.py" line="122" />
            <source>Imported: %Ln new revisions.</source>
            <translation>
                <numerusform>Imported: %Ln new revision.</numerusform>
                <numerusform>Imported: %Ln new revisions.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/diagnostics.py" line="40" />
            <source>Verify found %Ln problems; they are listed in verify.txt.</source>
            <translation>
                <numerusform>Verify found %Ln problem; it is listed in verify.txt.</numerusform>
                <numerusform>Verify found %Ln problems; they are listed in verify.txt.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/evidence.py" line="165" />
            <source>Would add %Ln characteristics.</source>
            <translation>
                <numerusform>Would add %Ln characteristic.</numerusform>
                <numerusform>Would add %Ln characteristics.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/retention.py" line="57" />
            <source>production ended {ended}, kept until {until} (%Ln years{who})</source>
            <translation>
                <numerusform>production ended {ended}, kept until {until} (%Ln year{who})</numerusform>
                <numerusform>production ended {ended}, kept until {until} (%Ln years{who})</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/retention.py" line="83" />
            <source>{customer}: records kept %Ln years after the end of production.</source>
            <translation>
                <numerusform>{customer}: records kept %Ln year after the end of production.</numerusform>
                <numerusform>{customer}: records kept %Ln years after the end of production.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/parts.py" line="205" />
            <source>{shown} of %Ln parts</source>
            <translation>
                <numerusform>{shown} of %Ln part</numerusform>
                <numerusform>{shown} of %Ln parts</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ControlChartWidget</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/control_chart_widget.py" line="86" />
            <source>not stable: %Ln points beyond the control limits</source>
            <translation>
                <numerusform>not stable: %Ln point beyond the control limits</numerusform>
                <numerusform>not stable: %Ln points beyond the control limits</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>DashboardPage</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="230" />
            <source>{part}: until {day} (%Ln days)</source>
            <translation>
                <numerusform>{part}: until {day} (%Ln day)</numerusform>
                <numerusform>{part}: until {day} (%Ln days)</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/dashboard_page.py" line="234" />
            <source>{part}: {shipped} of %Ln pieces shipped ({left} left)</source>
            <translation>
                <numerusform>{part}: {shipped} of %Ln piece shipped ({left} left)</numerusform>
                <numerusform>{part}: {shipped} of %Ln pieces shipped ({left} left)</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>DeliveryDialog</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/delivery_dialog.py" line="25" />
            <source>{part} — {certificate}: %Ln pieces left</source>
            <translation>
                <numerusform>{part} — {certificate}: %Ln piece left</numerusform>
                <numerusform>{part} — {certificate}: %Ln pieces left</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Deviations</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/deviation_list_widget.py" line="169" />
            <source>%Ln deviations</source>
            <translation>
                <numerusform>%Ln deviation</numerusform>
                <numerusform>%Ln deviations</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>EvidenceFilesWidget</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/evidence_files_widget.py" line="238" />
            <source>%Ln files attached.</source>
            <translation>
                <numerusform>%Ln file attached.</numerusform>
                <numerusform>%Ln files attached.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>EvidenceImportDialog</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="277" />
            <source>%Ln characteristics</source>
            <translation>
                <numerusform>%Ln characteristic</numerusform>
                <numerusform>%Ln characteristics</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="288" />
            <source>%Ln characteristics would be added.</source>
            <translation>
                <numerusform>%Ln characteristic would be added.</numerusform>
                <numerusform>%Ln characteristics would be added.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/evidence_import_dialog.py" line="276" />
            <source>%Ln readings</source>
            <translation>
                <numerusform>%Ln reading</numerusform>
                <numerusform>%Ln readings</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>HistoryWidget</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/history_widget.py" line="112" />
            <source>%Ln revisions</source>
            <translation>
                <numerusform>%Ln revision</numerusform>
                <numerusform>%Ln revisions</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ImportPreviewDialog</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="189" />
            <source>%Ln revisions compete with edits made here; the records will wait for a merge.</source>
            <translation>
                <numerusform>%Ln revision competes with edits made here; the record will wait for a merge.</numerusform>
                <numerusform>%Ln revisions compete with edits made here; the records will wait for a merge.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/dialogs/sync_dialogs.py" line="194" />
            <source>Import %Ln new revisions</source>
            <translation>
                <numerusform>Import %Ln new revision</numerusform>
                <numerusform>Import %Ln new revisions</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/main_window.py" line="354" />
            <source>The checks found %Ln problems; they are listed in verify.txt.</source>
            <translation>
                <numerusform>The checks found %Ln problem; it is listed in verify.txt.</numerusform>
                <numerusform>The checks found %Ln problems; they are listed in verify.txt.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>PartsPage</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="335" />
            <source>%Ln parts</source>
            <translation>
                <numerusform>%Ln part</numerusform>
                <numerusform>%Ln parts</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/parts_page.py" line="424" />
            <source>%Ln parts written to {file}.</source>
            <translation>
                <numerusform>%Ln part written to {file}.</numerusform>
                <numerusform>%Ln parts written to {file}.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Retention</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="302" />
            <source>%Ln records past retention</source>
            <translation>
                <numerusform>%Ln record past retention</numerusform>
                <numerusform>%Ln records past retention</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="225" />
            <source>%Ln years</source>
            <translation>
                <numerusform>%Ln year</numerusform>
                <numerusform>%Ln years</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/retention_widget.py" line="186" />
            <source>{customer}: %Ln years</source>
            <translation>
                <numerusform>{customer}: %Ln year</numerusform>
                <numerusform>{customer}: %Ln years</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>RoadmapCli</name>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/roadmap.py" line="304" />
            <source>%Ln remaining</source>
            <translation>
                <numerusform>%Ln remaining</numerusform>
                <numerusform>%Ln remaining</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/roadmap.py" line="301" />
            <source>%Ln remaining, ends on {day} at the latest</source>
            <translation>
                <numerusform>%Ln remaining, ends on {day} at the latest</numerusform>
                <numerusform>%Ln remaining, ends on {day} at the latest</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/cli/roadmap.py" line="161" />
            <source>late by %Ln days</source>
            <translation>
                <numerusform>late by %Ln day</numerusform>
                <numerusform>late by %Ln days</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>StepTimelineWidget</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/widgets/step_timeline.py" line="137" />
            <source>late by %Ln days</source>
            <translation>
                <numerusform>late by %Ln day</numerusform>
                <numerusform>late by %Ln days</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>SyncPage</name>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="325" />
            <source>%Ln records hold competing versions; merge them on the Conflicts page.</source>
            <translation>
                <numerusform>%Ln record holds competing versions; merge it on the Conflicts page.</numerusform>
                <numerusform>%Ln records hold competing versions; merge them on the Conflicts page.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="322" />
            <source>Imported package no. {seq} from {code}: %Ln new revisions.</source>
            <translation>
                <numerusform>Imported package no. {seq} from {code}: %Ln new revision.</numerusform>
                <numerusform>Imported package no. {seq} from {code}: %Ln new revisions.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../desktop_app/ui/pages/sync_page.py" line="243" />
            <source>changed here (%Ln kinds)</source>
            <translation>
                <numerusform>changed here (%Ln kind)</numerusform>
                <numerusform>changed here (%Ln kinds)</numerusform>
            </translation>
        </message>
    </context>
</TS>
