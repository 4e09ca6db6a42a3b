// Preselects the browser's own IANA time zone in a practice time-zone picker left unchosen.
(() => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (const select of document.querySelectorAll('select[data-guess-time-zone="true"]')) {
    if (select.value === '' && zone && [...select.options].some(o => o.value === zone)) {
      select.value = zone;
    }
  }
})();
