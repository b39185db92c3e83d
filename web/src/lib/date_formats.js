// The dates task on the page: the formats with one example each, a "random date" button (the module
// draws it from the task's own generator) and the library's check of a translation.
// Everything here comes from the module (readDates, randomDate); the page only lays it out.

/** A list of the task's formats, each as its pattern and one example: [{pattern, example}] -> <ul>. */
export function formatList(formats) {
  const ul = document.createElement('ul');
  ul.className = 'dates-format-list';
  ul.setAttribute('translate', 'no');
  for (const f of formats) {
    const li = document.createElement('li');
    const code = document.createElement('code');
    code.textContent = f.pattern;
    li.append(code, ` ${f.example}`);
    li.dataset.pattern = f.pattern;
    ul.append(li);
  }
  return ul;
}

/** A button that asks the module for a random date in a random format and hands its text to onDate. */
export function randomDateButton({ client, label, onDate }) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'random-date';
  b.textContent = label;
  b.addEventListener('click', async () => {
    const seed = Math.floor(Math.random() * 2 ** 32);
    onDate(await client.randomDate(seed));
  });
  return b;
}

/**
 * The message key for the library's verdict on a translation ({inputProblem, outputProblem, warning}),
 * or null when it has nothing to say: the input's problem first, then the output's, then a wrong date.
 */
export function problemKey(dates) {
  if (!dates.warning) return null;
  if (dates.inputProblem !== 'none') return `dates.problem.input.${dates.inputProblem}`;
  if (dates.outputProblem !== 'none') return `dates.problem.output.${dates.outputProblem}`;
  return 'dates.problem.wrongDate';
}
