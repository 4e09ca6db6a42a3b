// Referral queue and intake: conveniences only; every form works without this file.
(function () {
    'use strict';
    // The queue: one box checks every row on the page.
    var all = document.getElementById('check-all');
    if (all) {
        all.addEventListener('change', function () {
            document.querySelectorAll('#queue-form input[name="ids"]').forEach(function (box) { box.checked = all.checked; });
        });
    }
    // The queue: the lost reason and note show only when moving to Lost.
    var status = document.getElementById('status');
    function showLost() {
        var lost = status.value === 'Lost';
        document.querySelectorAll('#bulk-change .lost-only').forEach(function (field) { field.hidden = !lost; });
    }
    if (status) {
        status.addEventListener('change', showLost);
        showLost();
    }
    // Intake: show the second level of the channel that is chosen.
    var kinds = document.querySelectorAll('input[name="ChannelKind"]');
    function showChannel() {
        var chosen = document.querySelector('input[name="ChannelKind"]:checked');
        document.querySelectorAll('[data-channel-part]').forEach(function (part) {
            part.hidden = chosen !== null && part.getAttribute('data-channel-part') !== chosen.value;
        });
    }
    kinds.forEach(function (kind) { kind.addEventListener('change', showChannel); });
    if (kinds.length) { showChannel(); }
})();
