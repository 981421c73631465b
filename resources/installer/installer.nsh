; NSIS additions of the Windows installer (nsis.include in electron-builder.yml).
;  - "Add sfdbtools to PATH": after the files are installed, the installer asks whether to put the install
;    folder (which holds sfdbtools.cmd) on the PATH: the user's PATH for a per-user install, the system's for
;    a per-machine one. A silent install (/S) answers no; `/ADDTOPATH` on its command line answers yes.
;  - The uninstaller removes that PATH entry again and says that profiles, settings and backups are kept
;    (deleteAppDataOnUninstall: false); an update (the old version's silent uninstall) changes neither.
; Built and checked only on Windows (CI): electron-builder runs makensis there.

!include "StrFunc.nsh"
; Each pass declares only the function it uses: makensis runs with -WX, and an unused function warns.
!ifdef BUILD_UNINSTALLER
  ${UnStrRep}
!else
  ${StrStr}
!endif

!macro sfdbPathKey
  ${if} $installMode == "all"
    StrCpy $R9 "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"
  ${else}
    StrCpy $R9 "Environment"
  ${endIf}
!macroend

!macro customInstall
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/ADDTOPATH" $R1
  ${if} ${Errors}
    MessageBox MB_YESNO|MB_ICONQUESTION "Add sfdbtools to the PATH?$\r$\n$\r$\nThen the command line runs in any terminal as 'sfdbtools' (it is $INSTDIR\sfdbtools.cmd)." /SD IDNO IDNO sfdbSkipPath
  ${endIf}
  !insertmacro sfdbPathKey
  ${if} $installMode == "all"
    ReadRegStr $R2 HKLM $R9 "Path"
  ${else}
    ReadRegStr $R2 HKCU $R9 "Path"
  ${endIf}
  ${StrStr} $R3 ";$R2;" ";$INSTDIR;"
  ${if} $R3 == ""
    ${if} $R2 == ""
      StrCpy $R2 "$INSTDIR"
    ${else}
      StrCpy $R2 "$R2;$INSTDIR"
    ${endIf}
    ${if} $installMode == "all"
      WriteRegExpandStr HKLM $R9 "Path" $R2
    ${else}
      WriteRegExpandStr HKCU $R9 "Path" $R2
    ${endIf}
    SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
  ${endIf}
  sfdbSkipPath:
!macroend

!macro customUnInstall
  ${ifNot} ${isUpdated}
    !insertmacro sfdbPathKey
    ${if} $installMode == "all"
      ReadRegStr $R2 HKLM $R9 "Path"
    ${else}
      ReadRegStr $R2 HKCU $R9 "Path"
    ${endIf}
    ${if} $R2 != ""
      StrCpy $R2 ";$R2;"
      ${UnStrRep} $R2 $R2 ";$INSTDIR;" ";"
      StrCpy $R2 $R2 "" 1
      StrCpy $R2 $R2 -1
      ${if} $installMode == "all"
        WriteRegExpandStr HKLM $R9 "Path" $R2
      ${else}
        WriteRegExpandStr HKCU $R9 "Path" $R2
      ${endIf}
      SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
    ${endIf}
    MessageBox MB_OK|MB_ICONINFORMATION "sfDBTools Desktop is removed. Your connection profiles, settings, job history and backup files are kept; delete them yourself if you no longer need them (the profiles and settings are in %APPDATA%\sfdbtools, the backups where you saved them)." /SD IDOK
  ${endIf}
!macroend
