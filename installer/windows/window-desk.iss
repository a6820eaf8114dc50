; Inno Setup script: installs the PyInstaller bundle (dist\window-desk) per machine, with a Chinese
; Start-menu entry. Each user's data stays in %LOCALAPPDATA%\window-desk, which the desk itself
; creates and migrates: installing a new version over an old one never touches it, and uninstalling
; leaves it. Build steps: installer\windows\README.md.
#define AppName "社会救助受理窗口"
#define AppVersion GetEnv("WINDOW_DESK_VERSION")

[Setup]
AppId={{6E8C6A0E-3C0B-4F47-9D55-6B1E2F0D7A31}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=window-desk
DefaultDirName={autopf}\window-desk
DefaultGroupName={#AppName}
PrivilegesRequired=admin
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=window-desk-{#AppVersion}-setup
SetupIconFile=..\icon\window-desk.ico
UninstallDisplayIcon={app}\window-desk.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no

[Languages]
Name: "chs"; MessagesFile: "ChineseSimplified.isl"

[Files]
; Replace the program folder whole on upgrade, so no file of an older version lingers.
Source: "..\..\dist\window-desk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\window-desk.exe"; WorkingDir: "{app}"
Name: "{group}\卸载 {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\window-desk.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; GroupDescription: "附加快捷方式:"

[Run]
Filename: "{app}\window-desk.exe"; Description: "立即启动 {#AppName}"; Flags: nowait postinstall skipifsilent
