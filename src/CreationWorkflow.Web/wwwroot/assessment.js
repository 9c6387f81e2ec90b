// Progressive enhancement of the self-assessment form: on change, post the form to its 试算 handler (same origin,
// with the form's antiforgery token) and swap in the computed trail and any message. Without JS the 试算 button does the same.
(function () {
  var form = document.getElementById('facts-form');
  if (!form || !window.fetch || !window.DOMParser || !window.FormData) { return; }
  var url = form.getAttribute('data-preview');
  var timer = null;
  var latest = 0;
  function preview() {
    var mine = ++latest;
    fetch(url, { method: 'POST', body: new FormData(form), credentials: 'same-origin', headers: { 'X-Requested-With': 'fetch' } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (mine !== latest) { return; }
        var doc = new DOMParser().parseFromString(html, 'text/html');
        ['trail', 'feedback', 'evidence-plan', 'evidence-check'].forEach(function (id) {
          var fresh = doc.getElementById(id);
          var current = document.getElementById(id);
          if (fresh && current) { current.innerHTML = fresh.innerHTML; }
        });
      })
      .catch(function () { /* the 试算 button still works */ });
  }
  // The "已选 N 份" count of each rule's evidence follows the ticks.
  form.addEventListener('change', function (e) {
    var box = e.target;
    if (!box || !box.name || box.name.indexOf('evidence.') !== 0) { return; }
    var details = box.closest('details.evidence');
    var count = details && details.querySelector('[data-evidence-count]');
    if (count) { count.textContent = details.querySelectorAll('input[type=checkbox]:checked').length; }
  });
  form.addEventListener('change', function () {
    clearTimeout(timer);
    timer = setTimeout(preview, 250);
  });
})();
