// The assistant console: polls the reply task started by the form until it ends, then shows the reply (or the error).
const box = document.querySelector('[data-testid=console-reply]');
if (box) {
    const poll = async () => {
        try {
            const response = await fetch(box.dataset.poll, { headers: { Accept: 'application/json' } });
            if (response.ok) {
                const reply = await response.json();
                const finished = ['Succeeded', 'Failed', 'Cancelled', 'DeadLetter'].includes(reply.status);
                box.dataset.status = reply.status;
                if (finished) {
                    box.textContent = reply.reply ?? `${box.dataset.failed} ${reply.error ?? reply.status}`;
                    return;
                }
            }
        } catch {
            // A dropped request is retried at the next tick.
        }
        setTimeout(poll, 1000);
    };
    poll();
}
