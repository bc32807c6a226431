// Live indexing progress: while a document is queued or indexing, poll the documents' state and update their rows.
const table = document.querySelector('[data-testid=documents]');
if (table) {
    const labels = JSON.parse(table.dataset.statusLabels);
    const busy = () => [...table.querySelectorAll('[data-testid=document]')].some(row => ['queued', 'indexing'].includes(row.dataset.status));
    const poll = async () => {
        try {
            const response = await fetch(table.dataset.poll, { headers: { Accept: 'application/json' } });
            if (response.ok) {
                for (const doc of await response.json()) {
                    const row = table.querySelector(`[data-document-id="${doc.id}"]`);
                    if (!row) {
                        continue;
                    }
                    row.dataset.status = doc.status;
                    const badge = row.querySelector('[data-testid=document-status]');
                    badge.className = `badge badge--${doc.status}`;
                    badge.textContent = labels[doc.status] ?? doc.status;
                    row.querySelector('[data-testid=document-error]').textContent = doc.error ?? '';
                    const bar = row.querySelector('[data-testid=document-progress]');
                    bar.setAttribute('aria-valuenow', doc.progressPercent);
                    bar.firstElementChild.style.width = `${doc.progressPercent}%`;
                    row.querySelector('[data-testid=document-percent]').textContent = `${doc.progressPercent}%`;
                    row.querySelector('[data-testid=document-chunks]').textContent = doc.chunkCount;
                }
            }
        } catch {
            // A dropped request is retried at the next tick.
        }
        if (busy()) {
            setTimeout(poll, 1000);
        }
    };
    if (busy()) {
        poll();
    }
}
