; Windows installer for PartDesk: wraps the PyInstaller folder built on Windows (dist\PartDesk).
; Built by .github/workflows/windows.yml on a Windows runner (`bash installer/build.sh --nsis`).
; On Linux, `bash installer/build.sh check-nsis` compiles it against a dummy folder.
;   makensis -DVERSION=0.1.0 -DVERSION_QUAD=0.1.0.0 -DDIST=..\dist\PartDesk installer\partdesk.nsi
;   -DOUTFILE=...        the setup's path (default ..\dist\PartDesk-VERSION-setup.exe)
;   -DSIGN_COMMAND=...   a command that signs the file named after it (installer\sign.ps1): the
;                        uninstaller as it is written, and the setup once it is complete
;   -DTARGET=amd64-unicode  a 64-bit setup (Debian's NSIS has the stubs; used to try the setup
;                        under Wine on Linux)
;
; Per user (the default, no administrator rights): %LOCALAPPDATA%\Programs\PartDesk, HKCU.
; All users (administrators only): Program Files\PartDesk, HKLM. The setup run silently takes
; /CurrentUser or /AllUsers; the uninstaller takes the same.
; Upgrade: the setup of a newer version installs over the older one in its folder and mode.
; Data: the database, attached files, keys, settings and logs of a person live in
; %LOCALAPPDATA%\PartDesk (platformdirs' user data folder, desktop_app/paths.py), never in the
; program folder, so an upgrade does not touch them. The uninstaller asks before deleting them
; (default: keep; a silent uninstall keeps them).

Unicode true
ManifestDPIAware true
!ifdef TARGET  ; amd64-unicode for a 64-bit setup where NSIS has its stubs (the default: x86)
  Target ${TARGET}
!endif

!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef VERSION_QUAD
  !define VERSION_QUAD "0.1.0.0"
!endif
!ifndef DIST
  !define DIST "..\dist\PartDesk"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\dist\PartDesk-${VERSION}-setup.exe"
!endif

!define APP "PartDesk"
!define CONSOLE_EXE "partdesk.exe"    ; the command line
!define WINDOWED_EXE "partdeskw.exe"  ; the window, no console: what the shortcuts open
!define APP_KEY "Software\PartDesk"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\PartDesk"
!define ICON "..\resources\icons\partdesk.ico"

Name "${APP} ${VERSION}"
OutFile "${OUTFILE}"
SetCompressor /SOLID lzma
BrandingText "${APP} ${VERSION}"

!ifdef SIGN_COMMAND
  !uninstfinalize '${SIGN_COMMAND} "%1"' = 0
  !finalize '${SIGN_COMMAND} "%1"' = 0
!endif

; Per user or for all users (NSIS's MultiUser): per user by default, which needs no
; administrator rights; an administrator may choose all users. A previous installation's mode
; and folder are taken again, so an upgrade lands where the older version is.
!define MULTIUSER_EXECUTIONLEVEL Highest
!define MULTIUSER_MUI
!define MULTIUSER_INSTALLMODE_COMMANDLINE
!define MULTIUSER_INSTALLMODE_DEFAULT_CURRENTUSER
!define MULTIUSER_INSTALLMODE_INSTDIR "${APP}"
!define MULTIUSER_USE_PROGRAMFILES64
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_KEY "${APP_KEY}"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_VALUENAME "InstallDir"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_KEY "${APP_KEY}"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_VALUENAME "InstallMode"
!include "MultiUser.nsh"
!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!insertmacro MUI_PAGE_WELCOME
!insertmacro MULTIUSER_PAGE_INSTALLMODE
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${WINDOWED_EXE}"
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "French"
!insertmacro MUI_LANGUAGE "Arabic"
!insertmacro MUI_LANGUAGE "SimpChinese"

; The setup's file properties (Explorer, Properties, Details).
VIProductVersion "${VERSION_QUAD}"
VIFileVersion "${VERSION_QUAD}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${APP}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${APP} ${VERSION} setup"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${APP}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "${APP}. All rights reserved."

LangString DELETE_DATA ${LANG_ENGLISH} "Also delete your PartDesk data in $LOCALAPPDATA\PartDesk (database, attached files, site keys, settings)? This cannot be undone. Choose No to keep it for a later installation."
LangString DELETE_DATA ${LANG_FRENCH} "Supprimer aussi vos données PartDesk dans $LOCALAPPDATA\PartDesk (base de données, fichiers joints, clés du site, réglages) ? C'est définitif. Choisissez Non pour les garder pour une installation ultérieure."
LangString DELETE_DATA ${LANG_ARABIC} "هل تريد حذف بيانات PartDesk أيضًا في $LOCALAPPDATA\PartDesk (قاعدة البيانات، الملفات المرفقة، مفاتيح الموقع، الإعدادات)؟ لا يمكن التراجع عن ذلك. اختر لا للاحتفاظ بها لتثبيت لاحق."
LangString DELETE_DATA ${LANG_SIMPCHINESE} "是否同时删除 $LOCALAPPDATA\PartDesk 中的 PartDesk 数据（数据库、附件、站点密钥、设置）？此操作无法撤销。选择“否”可保留数据供以后安装使用。"

Function .onInit
  SetRegView 64
  !insertmacro MULTIUSER_INIT
FunctionEnd

Function un.onInit
  SetRegView 64
  !insertmacro MULTIUSER_UNINIT
FunctionEnd

Section "PartDesk" SecMain
  SectionIn RO
  ; An upgrade: the older version's program files go first, so that none of its libraries stays
  ; behind. Only the program's own files: the folder itself may hold something else.
  ${If} ${FileExists} "$INSTDIR\${CONSOLE_EXE}"
    Delete "$INSTDIR\${CONSOLE_EXE}"
    Delete "$INSTDIR\${WINDOWED_EXE}"
    RMDir /r "$INSTDIR\_internal"
  ${EndIf}
  SetOutPath "$INSTDIR"
  File /r "${DIST}\*.*"
  WriteUninstaller "$INSTDIR\Uninstall.exe"

  ; SHCTX: HKCU per user, HKLM for all users (MultiUser set the shell context).
  WriteRegStr SHCTX "${APP_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr SHCTX "${APP_KEY}" "InstallMode" "$MultiUser.InstallMode"
  WriteRegStr SHCTX "${APP_KEY}" "Version" "${VERSION}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${WINDOWED_EXE}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "Publisher" "${APP}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe" /$MultiUser.InstallMode'
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /$MultiUser.InstallMode /S'
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "EstimatedSize" "$0"

  CreateDirectory "$SMPROGRAMS\${APP}"
  CreateShortcut "$SMPROGRAMS\${APP}\${APP}.lnk" "$INSTDIR\${WINDOWED_EXE}" "" "$INSTDIR\${WINDOWED_EXE}" 0
  CreateShortcut "$SMPROGRAMS\${APP}\Uninstall ${APP}.lnk" "$INSTDIR\Uninstall.exe" "/$MultiUser.InstallMode"
  CreateShortcut "$DESKTOP\${APP}.lnk" "$INSTDIR\${WINDOWED_EXE}" "" "$INSTDIR\${WINDOWED_EXE}" 0
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP}\${APP}.lnk"
  Delete "$SMPROGRAMS\${APP}\Uninstall ${APP}.lnk"
  RMDir "$SMPROGRAMS\${APP}"
  Delete "$DESKTOP\${APP}.lnk"

  ; The program's own files, then the folder if nothing else is left in it.
  Delete "$INSTDIR\${CONSOLE_EXE}"
  Delete "$INSTDIR\${WINDOWED_EXE}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"

  DeleteRegKey SHCTX "${UNINSTALL_KEY}"
  DeleteRegKey SHCTX "${APP_KEY}"

  ; The person's data: kept unless they say otherwise (a silent uninstall keeps it).
  SetShellVarContext current
  ${If} ${FileExists} "$LOCALAPPDATA\PartDesk\*.*"
    MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 "$(DELETE_DATA)" /SD IDNO IDNO keep_data
    RMDir /r "$LOCALAPPDATA\PartDesk"
    keep_data:
  ${EndIf}
SectionEnd
