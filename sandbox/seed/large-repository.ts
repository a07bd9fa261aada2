/**
 * Files for a repository of realistic size: `count` small Python modules under `folder`, named so they sort in
 * number order (`module_0000.py` …). Each looks like ordinary service code and holds nothing a secret rule matches.
 */
export function generatedModules(count: number, folder: string): Record<string, string> {
  const digits = Math.max(4, String(count - 1).length);
  const files: Record<string, string> = {};
  for (let index = 0; index < count; index++) {
    const name = `module_${String(index).padStart(digits, '0')}`;
    files[`${folder}/${name}.py`] = moduleSource(name, index);
  }
  return files;
}

function moduleSource(name: string, index: number): string {
  return [
    `"""Generated service module ${index}: shift rules for rota ${index % 97}."""`,
    'from datetime import timedelta',
    '',
    `ROTA_ID = ${index}`,
    `SHIFT_LENGTH = timedelta(hours=${(index % 12) + 1})`,
    '',
    '',
    `def ${name}_next_shift(start, people):`,
    '    """Who is on call after `start`, round robin over `people`."""',
    '    if not people:',
    '        return None',
    `    return people[(start.toordinal() + ROTA_ID) % len(people)]`,
    '',
  ].join('\n');
}
