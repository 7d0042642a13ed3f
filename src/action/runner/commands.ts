/**
 * The runner's protocol, spoken directly: workflow commands on stdout (`::error title=…::message`,
 * escaped the way the runner unescapes them) and file commands (`name<<delimiter` blocks appended
 * to GITHUB_OUTPUT or GITHUB_STATE). @actions/core speaks the same, but importing it evaluates its
 * HTTP client at start-up, which every run would pay for; it is loaded only for the ID token. A test
 * checks these lines against @actions/core's own. Pure.
 */

/** `::command key=value,…::message`; properties without a value are left out, as the runner ignores them. */
export function workflowCommand(command: string, properties: Record<string, string | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
  return `::${command}${props.length > 0 ? ` ${props.join(',')}` : ''}::${escapeData(message)}`
}

/** A file command's block; the delimiter is random per block, so no value can end it early. */
export function keyValueBlock(name: string, value: string, delimiter: string, eol: string): string {
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error(`${name}: the value contains the file command's delimiter`)
  return `${name}<<${delimiter}${eol}${value}${eol}${delimiter}${eol}`
}

/** The env variable the runner gives an input in: `INPUT_` and the name upper-cased, spaces as `_`. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}
