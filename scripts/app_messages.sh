#!/usr/bin/env bash
# Extract one app's translatable strings (its code and templates/<app>/)
# into <app>/locale/zh_Hans/LC_MESSAGES/django.po, keeping translations
# already there. Each app keeps its own catalogue; Django merges them.
# Usage: scripts/app_messages.sh inspections
# (rectification also covers templates/emails and templates/core)
set -euo pipefail
app=$1
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
po_dir="$root/$app/locale/zh_Hans/LC_MESSAGES"
mkdir -p "$po_dir" "$tmp/work/locale/zh_Hans/LC_MESSAGES"
ln -s "$root/$app" "$tmp/work/$app"
[ -d "$root/templates/$app" ] && ln -s "$root/templates/$app" "$tmp/work/templates_$app"
# Shared templates without an app of their own are kept in the catalogue of
# the app that sends or renders them.
case "$app" in
  rectification) extra="emails core" ;;
  *) extra="" ;;
esac
for dir in $extra; do ln -s "$root/templates/$dir" "$tmp/work/templates_$dir"; done
# cases keeps the strings of its own e-mails (templates/emails/case_*).
if [ "$app" = cases ]; then
  mkdir "$tmp/work/templates_emails_cases"
  for f in "$root"/templates/emails/case_*; do ln -s "$f" "$tmp/work/templates_emails_cases/"; done
fi
# selfchecks keeps the strings of its e-mails (templates/emails/selfcheck_*)
# and of its portal pages (portal/views_selfchecks.py, templates/portal/*selfcheck*).
if [ "$app" = selfchecks ]; then
  mkdir "$tmp/work/templates_selfchecks_extra"
  for f in "$root"/templates/emails/selfcheck_* "$root"/templates/portal/*selfcheck* \
           "$root"/portal/views_selfchecks.py; do
    ln -s "$f" "$tmp/work/templates_selfchecks_extra/"
  done
fi
# tipoffs keeps the strings of its e-mails (templates/emails/tipoff_*).
if [ "$app" = tipoffs ]; then
  mkdir "$tmp/work/templates_emails_tipoffs"
  for f in "$root"/templates/emails/tipoff_*; do ln -s "$f" "$tmp/work/templates_emails_tipoffs/"; done
fi
[ -f "$po_dir/django.po" ] && cp "$po_dir/django.po" "$tmp/work/locale/zh_Hans/LC_MESSAGES/"
cd "$tmp/work"
DJANGO_SETTINGS_MODULE=config.settings PYTHONPATH="$root" "$root/.venv/bin/python" -c "
import django; django.setup()
from django.conf import settings
settings.LOCALE_PATHS = []
from django.core.management import call_command
call_command('makemessages', locale=['zh_Hans'], symlinks=True, no_obsolete=True,
             ignore_patterns=['$app/locale/*', '$app/labels/*', '$app/migrations/*'], verbosity=0)
"
cp "$tmp/work/locale/zh_Hans/LC_MESSAGES/django.po" "$po_dir/django.po"
echo "$po_dir/django.po: $(grep -c '^msgid ' "$po_dir/django.po") msgids, $(grep -c '^msgstr ""$' "$po_dir/django.po") without translation (the header counts as one)"
