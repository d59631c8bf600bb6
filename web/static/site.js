// Copy-code buttons: the code goes to the clipboard and a status line says so.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const status = button.parentElement.querySelector(".copied");
  try {
    await navigator.clipboard.writeText(button.dataset.copy);
  } catch {
    // No clipboard permission (plain http, old browser): select the code instead.
    const code = button.parentElement.querySelector("code");
    if (code) window.getSelection().selectAllChildren(code);
  }
  if (status) {
    status.hidden = false;
    setTimeout(() => { status.hidden = true; }, 2000);
  }
});
