// Asks before a destructive or outward action: a form or its submit button carrying
// data-confirm="question" goes ahead only when the user agrees. (No inline handlers: the
// Content-Security-Policy allows only the app's own script files.)
document.addEventListener('submit', event => {
  const question = event.submitter?.dataset.confirm ?? event.target.dataset?.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
