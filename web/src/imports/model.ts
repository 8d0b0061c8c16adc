// The Import panel's pure logic: reading a CSV header in the browser, guessing its coordinate and key columns, the
// identity field mapping, building the import options (ImportOptions.cs, snake_case) from the form, checking the
// chosen files, and turning the server's problems (refused imports, 400 problem+json) into messages at their place.
import type { components } from '../api/schema';

export type ImportJobStatus = components['schemas']['ImportJobStatus'];
export type ImportSummary = components['schemas']['ImportSummary'];
export type ImportReject = components['schemas']['ImportReject'];

/** The layers rows can be imported into (ImportTargets.All). */
export const importLayers = ['incidents', 'cameras', 'zones'] as const;
export type ImportLayer = (typeof importLayers)[number];

/** The write fields an import may set per layer (the write contracts less version, source and external_id). */
export const layerFields: Record<ImportLayer, readonly string[]> = {
  incidents: ['category', 'severity', 'status', 'occurred_at', 'reported_at', 'address', 'district', 'description'],
  cameras: ['name', 'kind', 'heading_deg', 'field_of_view_deg', 'preset_headings_deg', 'range_m', 'mounting_height_m', 'status',
    'privacy_masks', 'installed_at', 'owner_unit', 'district'],
  zones: ['name', 'name_en', 'kind', 'risk_level', 'coverage_target', 'district'],
};

/** One target field's source (FieldMap in ImportOptions.cs). */
export interface FieldMap {
  column?: string;
  value?: unknown;
  values?: Record<string, unknown>;
  default?: unknown;
  format?: string;
  time_zone?: string;
}

/** The options form field of POST /api/imports (ImportOptions.cs). */
export interface ImportOptions {
  layer: ImportLayer;
  format?: string;
  crs?: string;
  x?: string;
  y?: string;
  delimiter?: string;
  source?: string;
  external_id?: string;
  fields?: Record<string, FieldMap>;
  mode: 'atomic' | 'skip_bad_rows';
  dry_run: boolean;
}

// ---- files ---------------------------------------------------------------------------------------------------------

export type ImportFormat = 'csv' | 'geojson' | 'shapefile' | 'gpkg';

/** The format of a file from its name, as the server tells it (ImportSources.FormatOf); sidecars and unknown: null. */
export function formatOf(name: string): ImportFormat | null {
  const lower = name.toLowerCase();
  if (/\.(geojson|json|geojsonl|geojsons|ndjson)$/.test(lower)) return 'geojson';
  if (/\.(csv|tsv|txt)$/.test(lower)) return 'csv';
  if (/\.(shp|zip)$/.test(lower)) return 'shapefile';
  if (lower.endsWith('.gpkg')) return 'gpkg';
  return null;
}

const sidecars = ['.shx', '.dbf', '.prj', '.cpg', '.qix', '.sbn', '.sbx', '.xml'];

function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot).toLowerCase();
}

function stem(name: string): string {
  const dot = name.lastIndexOf('.');
  return (dot < 0 ? name : name.slice(0, dot)).toLowerCase();
}

/** What the chosen files are: the files to import (not the shapefile sidecars) and their format, if they share one. */
export function describeFiles(names: readonly string[]): { main: string[]; format: ImportFormat | null; mixed: boolean } {
  const main = names.filter((n) => !sidecars.includes(extension(n)));
  const formats = [...new Set(main.map(formatOf))];
  return { main, format: formats.length === 1 ? formats[0]! : null, mixed: formats.length > 1 };
}

/** Problems with the chosen files before anything is sent: none, unknown formats, a .shp without its .shx and .dbf. */
export function fileProblems(names: readonly string[]): FormProblem[] {
  const problems: FormProblem[] = [];
  if (names.length === 0) return [{ place: 'files', key: 'imports.problem.noFile' }];
  const { main, mixed } = describeFiles(names);
  if (main.length === 0) problems.push({ place: 'files', key: 'imports.problem.onlySidecars' });
  for (const name of main) {
    if (formatOf(name) === null) problems.push({ place: 'files', key: 'imports.problem.unknownFormat', params: { file: name } });
  }
  if (mixed) problems.push({ place: 'files', key: 'imports.problem.mixedFormats' });
  for (const shp of main.filter((n) => extension(n) === '.shp')) {
    const missing = ['.shx', '.dbf'].filter((ext) => !names.some((n) => stem(n) === stem(shp) && extension(n) === ext));
    if (missing.length) problems.push({ place: 'files', key: 'imports.problem.shapefileParts', params: { file: shp, missing: missing.join(', ') } });
  }
  return problems;
}

// ---- CSV header --------------------------------------------------------------------------------------------------

/** How much of a CSV file the browser reads to find its header. */
export const headerBytes = 64 * 1024;

const delimiters = [',', ';', '\t', '|'] as const;

/** Splits one CSV line at the delimiter, honouring double quotes ("a, b" and "" inside quotes). */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === delimiter) {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += c;
    }
  }
  cells.push(cell.trim());
  return cells;
}

export interface CsvHeader {
  columns: string[];
  /** ',' unless the header splits better at ';', tab or '|'. */
  delimiter: string;
  /** The first data row's cells (to show an example), when the read part holds one. */
  sample: string[] | null;
}

/** The first line that is not a quoted newline's continuation: the header of the text (a BOM dropped). */
function lines(text: string, count: number): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length && out.length < count; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) {
      out.push(text.slice(start, i).replace(/\r$/, ''));
      start = i + 1;
    }
  }
  if (out.length < count && start < text.length) out.push(text.slice(start).replace(/\r$/, ''));
  return out;
}

/** The header of a CSV file from the start of its text: its columns, its delimiter and the first data row. */
export function sniffHeader(text: string): CsvHeader | null {
  const clean = text.replace(/^\uFEFF/, '');
  const [header, first] = lines(clean, 2);
  if (header === undefined || header.trim() === '') return null;
  let delimiter: string = ',';
  let best = 0;
  for (const d of delimiters) {
    const n = splitCsvLine(header, d).length;
    if (n > best) {
      best = n;
      delimiter = d;
    }
  }
  const columns = splitCsvLine(header, delimiter);
  // a sample only when it lines up (the 64 KB may end inside the second line)
  const sample = first !== undefined && first.trim() !== '' ? splitCsvLine(first, delimiter) : null;
  return { columns, delimiter, sample: sample && sample.length === columns.length ? sample : null };
}

/** Lower case without spaces, underscores, dashes and dots: "Point_X" → "pointx" (like the server's Simplify). */
export function simplify(name: string): string {
  return name.toLowerCase().replace(/[\s_\-.]/g, '');
}

const xNames = ['lon', 'lng', 'long', 'longitude', 'x', 'pointx', 'xcoord', 'xcoordinate', 'coordx', 'easting', 'east', '经度', 'jd', 'gpsx', 'gpslng', 'gpslon', 'lonwgs84', 'lngwgs84'];
const yNames = ['lat', 'latitude', 'y', 'pointy', 'ycoord', 'ycoordinate', 'coordy', 'northing', 'north', '纬度', 'wd', 'gpsy', 'gpslat', 'latwgs84'];

function rank(column: string, names: readonly string[], words: RegExp): number {
  const s = simplify(column);
  const exact = names.indexOf(s);
  if (exact >= 0) return exact;
  if (words.test(column.toLowerCase())) return 100;
  return -1;
}

/**
 * The columns that look like longitude and latitude (x and y): exact names first (lon, lng, longitude, x, 经度…), then
 * names containing them ("incident_longitude", "gps_lat"); null where nothing fits. The two are never the same column.
 */
export function guessCoordinates(columns: readonly string[]): { x: string | null; y: string | null } {
  const pick = (names: readonly string[], words: RegExp, not: string | null): string | null => {
    let best: string | null = null;
    let bestRank = Infinity;
    for (const c of columns) {
      if (c === not) continue;
      const r = rank(c, names, words);
      if (r >= 0 && r < bestRank) {
        best = c;
        bestRank = r;
      }
    }
    return best;
  };
  const x = pick(xNames, /(^|[^a-z])(lon|lng|longitude)([^a-z]|$)|longitude|经度/, null);
  const y = pick(yNames, /(^|[^a-z])(lat|latitude)([^a-z]|$)|latitude|纬度/, x);
  return { x, y };
}

/** The column that keys re-imports by name (external_id, the server's default), else null. */
export function guessExternalId(columns: readonly string[]): string | null {
  return columns.find((c) => simplify(c) === 'externalid') ?? null;
}

/**
 * The identity mapping: each field of the layer taken from the column of the same name (ignoring case, spaces and
 * underscores) — what the server does for fields without a mapping, spelled out as a starting point to edit.
 */
export function identityFields(layer: ImportLayer, columns: readonly string[]): Record<string, FieldMap> {
  const fields: Record<string, FieldMap> = {};
  for (const field of layerFields[layer]) {
    const column = columns.find((c) => simplify(c) === simplify(field));
    if (column !== undefined) fields[field] = { column };
  }
  return fields;
}

/** The identity example as the textarea shows it (an object per line). */
export function fieldsText(fields: Record<string, FieldMap>): string {
  const entries = Object.entries(fields);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')}\n}`;
}

// ---- options -------------------------------------------------------------------------------------------------------

/** The CRS choices of the form: the file's own (or WGS84), the common Chinese ones, or another EPSG code. */
export const crsChoices = ['file', 'EPSG:4490', 'EPSG:3857', 'GCJ-02', 'BD-09', 'other'] as const;
export type CrsChoice = (typeof crsChoices)[number];

/** "EPSG:32650", "epsg 4547", "4547" → "EPSG:4547"; null when it is not an EPSG code. */
export function normaliseEpsg(text: string): string | null {
  const m = /^\s*(?:epsg\s*[:：]?\s*)?(\d{4,6})\s*$/i.exec(text);
  return m ? `EPSG:${m[1]}` : null;
}

/** The form as the user left it. */
export interface ImportForm {
  files: string[];
  layer: ImportLayer | '';
  crs: CrsChoice;
  otherCrs: string;
  /** CSV only. */
  x: string;
  y: string;
  delimiter: string | null;
  source: string;
  /** '' none, '#hash', or a column. */
  externalId: string;
  mode: 'atomic' | 'skip_bad_rows';
  fieldsText: string;
}

/** A problem at a place of the form, as a message key with its parameters (or the server's own text). */
export interface FormProblem {
  place: FormPlace;
  key?: string;
  params?: Record<string, string | number>;
  text?: string;
  /** The server's pointer ("/options/fields/category/column"), when it came from the server. */
  pointer?: string;
}

export type FormPlace = 'files' | 'layer' | 'crs' | 'x' | 'y' | 'source' | 'externalId' | 'mode' | 'fields' | 'form';

/** The options JSON for the server, or the problems that keep it from being sent. */
export function buildOptions(form: ImportForm, dryRun: boolean): { options: ImportOptions | null; problems: FormProblem[] } {
  const problems = fileProblems(form.files);
  if (form.layer === '') problems.push({ place: 'layer', key: 'imports.problem.noLayer' });
  const { format } = describeFiles(form.files);
  const options: ImportOptions = { layer: (form.layer || 'incidents') as ImportLayer, mode: form.mode, dry_run: dryRun };
  if (form.crs === 'other') {
    const code = normaliseEpsg(form.otherCrs);
    if (code === null) problems.push({ place: 'crs', key: 'imports.problem.epsg', params: { text: form.otherCrs.trim() } });
    else options.crs = code;
  } else if (form.crs !== 'file') {
    options.crs = form.crs;
  }
  if (format === 'csv') {
    if (form.x && form.y && form.x === form.y) problems.push({ place: 'y', key: 'imports.problem.sameColumn' });
    if (form.x) options.x = form.x;
    if (form.y) options.y = form.y;
    if (form.delimiter && form.delimiter !== ',') options.delimiter = form.delimiter === '\t' ? 'tab' : form.delimiter;
  }
  const source = form.source.trim();
  if (source) options.source = source;
  if (form.externalId) options.external_id = form.externalId;
  const text = form.fieldsText.trim();
  if (text) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        problems.push({ place: 'fields', key: 'imports.problem.fieldsObject' });
      } else {
        const fields: Record<string, FieldMap> = {};
        for (const [name, map] of Object.entries(parsed as Record<string, unknown>)) {
          if (map === null || typeof map !== 'object' || Array.isArray(map)) {
            problems.push({ place: 'fields', key: 'imports.problem.fieldMap', params: { field: name } });
          } else {
            fields[name] = map as FieldMap;
          }
        }
        if (Object.keys(fields).length) options.fields = fields;
      }
    } catch (e) {
      problems.push({ place: 'fields', key: 'imports.problem.fieldsJson', params: { message: e instanceof Error ? e.message : String(e) } });
    }
  }
  return { options: problems.length ? null : options, problems };
}

// ---- the server's answers -----------------------------------------------------------------------------------------

/** The form field a server pointer is about: "/options/crs" → crs, "/options/fields/x/column" → fields, "/files" → files. */
export function placeOf(pointer: string): FormPlace {
  const parts = pointer.split('/').filter(Boolean);
  if (parts[0] === 'files') return 'files';
  if (parts[0] !== 'options') return 'form';
  switch (parts[1]) {
    case 'layer': return 'layer';
    case 'crs': return 'crs';
    case 'x': case 'wkt': case 'delimiter': return 'x';
    case 'y': return 'y';
    case 'source': return 'source';
    case 'external_id': return 'externalId';
    case 'fields': return 'fields';
    case 'mode': case 'dry_run': return 'mode';
    case 'format': case 'table': return 'files';
    default: return 'form';
  }
}

/** The server's problems (a refused import's map or a 400's errors) as messages at their places. */
export function serverProblems(errors: Record<string, readonly string[]> | null | undefined): FormProblem[] {
  if (!errors) return [];
  return Object.entries(errors).flatMap(([pointer, messages]) => messages.map((text) => ({ place: placeOf(pointer), pointer, text })));
}

/** Is the job still going (keep polling)? */
export function isRunning(status: Pick<ImportJobStatus, 'state'>): boolean {
  return status.state === 'queued' || status.state === 'running';
}

/** The progress bar's share, 0–100: the share read while reading, full while writing and after. */
export function progressPercent(status: Pick<ImportJobStatus, 'state' | 'phase' | 'progress'>): number {
  if (!isRunning(status) || status.phase === 'writing' || status.phase === 'done') return 100;
  return Math.max(0, Math.min(100, Math.round(status.progress * 100)));
}

/** How the result reads: written, a dry run, nothing written (atomic with rejects), or nothing to write. */
export type ResultKind = 'dryRun' | 'written' | 'rejected' | 'nothing';

export function resultKind(summary: ImportSummary): ResultKind {
  if (summary.dry_run) return 'dryRun';
  if (summary.outcome === 'rejected') return 'rejected';
  return summary.written ? 'written' : 'nothing';
}
