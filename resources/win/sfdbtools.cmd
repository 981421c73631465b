@echo off
rem sfdbtools: the command line of sfDBTools Desktop. It runs the installed app's own binary as Node
rem (ELECTRON_RUN_AS_NODE) on the CLI inside the app's archive: no separate Node.js is needed.
setlocal
set ELECTRON_RUN_AS_NODE=1
"%~dp0sfDBTools Desktop.exe" "%~dp0resources\app.asar\out\main\cli.js" %*
exit /b %ERRORLEVEL%
