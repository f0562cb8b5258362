; Windows installer for PartDesk, built from the PyInstaller folder dist/PartDesk.
; makensis -DVERSION=0.1.0 -DDIST=..\dist\PartDesk installer\partdesk.nsi
; Data folders (the database, blobs, keys) live in the user's data folder and are never removed.

Unicode true
!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef DIST
  !define DIST "..\dist\PartDesk"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\dist\PartDesk-${VERSION}-setup.exe"
!endif

Name "PartDesk ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\PartDesk"
InstallDirRegKey HKLM "Software\PartDesk" "InstallDir"
RequestExecutionLevel admin
SetCompressor /SOLID lzma

!include "MUI2.nsh"
!define MUI_ABORTWARNING
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "French"
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Arabic"
!insertmacro MUI_LANGUAGE "SimpChinese"

Section "PartDesk" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File /r "${DIST}\*.*"
  WriteRegStr HKLM "Software\PartDesk" "InstallDir" "$INSTDIR"
  WriteUninstaller "$INSTDIR\Uninstall.exe"
  CreateDirectory "$SMPROGRAMS\PartDesk"
  CreateShortcut "$SMPROGRAMS\PartDesk\PartDesk.lnk" "$INSTDIR\partdesk.exe"
  CreateShortcut "$SMPROGRAMS\PartDesk\Uninstall PartDesk.lnk" "$INSTDIR\Uninstall.exe"
  CreateShortcut "$DESKTOP\PartDesk.lnk" "$INSTDIR\partdesk.exe"
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\PartDesk" "DisplayName" "PartDesk"
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\PartDesk" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\PartDesk" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegDWORD HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\PartDesk" "NoModify" 1
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\PartDesk\PartDesk.lnk"
  Delete "$SMPROGRAMS\PartDesk\Uninstall PartDesk.lnk"
  RMDir "$SMPROGRAMS\PartDesk"
  Delete "$DESKTOP\PartDesk.lnk"
  RMDir /r "$INSTDIR"
  DeleteRegKey HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\PartDesk"
  DeleteRegKey HKLM "Software\PartDesk"
SectionEnd
