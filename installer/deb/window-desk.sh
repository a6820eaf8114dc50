#!/bin/sh
# The window-desk command of the .deb: the bundle in /opt/window-desk.
exec /opt/window-desk/window-desk "$@"
