// The management pages' copy buttons: data-copy names the field whose value goes to the clipboard.
document.addEventListener('click', async event => {
    const button = event.target.closest('[data-copy]');
    if (!button) {
        return;
    }
    const field = document.getElementById(button.dataset.copy);
    try {
        await navigator.clipboard.writeText(field.value);
    } catch {
        // No clipboard API (an insecure context): select the text so the user can copy it.
        field.select();
        document.execCommand('copy');
    }
    button.dataset.state = 'copied';
    button.textContent = button.dataset.copied;
});
