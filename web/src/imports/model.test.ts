import { describe, expect, test } from 'vitest';
import {
  buildOptions, describeFiles, fieldsText, fileProblems, formatOf, guessCoordinates, guessExternalId, identityFields, normaliseEpsg, placeOf,
  progressPercent, resultKind, serverProblems, simplify, sniffHeader, splitCsvLine, type ImportForm, type ImportSummary,
} from './model';

function form(over: Partial<ImportForm> = {}): ImportForm {
  return {
    files: ['records.csv'], layer: 'incidents', crs: 'file', otherCrs: '', x: 'lng', y: 'lat', delimiter: ',', source: '', externalId: '',
    mode: 'atomic', fieldsText: '', ...over,
  };
}

describe('CSV header sniffing', () => {
  test('reads the header and the first row, dropping a BOM and CRLF', () => {
    const h = sniffHeader('\uFEFFcase_no,type,lng,lat\r\nA-1,THEFT,114.9,40.8\r\nA-2');
    expect(h).toEqual({ columns: ['case_no', 'type', 'lng', 'lat'], delimiter: ',', sample: ['A-1', 'THEFT', '114.9', '40.8'] });
  });

  test('finds semicolon and tab delimiters and honours quotes', () => {
    expect(sniffHeader('id;"name; long";x;y\n1;a;2;3')?.delimiter).toBe(';');
    expect(sniffHeader('id;"name; long";x;y\n')?.columns).toEqual(['id', 'name; long', 'x', 'y']);
    expect(sniffHeader('id\tx\ty\n1\t2\t3')).toMatchObject({ delimiter: '\t', columns: ['id', 'x', 'y'] });
    expect(splitCsvLine('a,"b ""c"", d",e', ',')).toEqual(['a', 'b "c", d', 'e']);
  });

  test('a quoted newline in the header does not end it; a cut-off second line gives no sample', () => {
    expect(sniffHeader('"multi\nline",x,y\n1,2,3')?.columns).toEqual(['multi\nline', 'x', 'y']);
    expect(sniffHeader('a,b,c\n1,2')?.sample).toBeNull();
    expect(sniffHeader('')).toBeNull();
    expect(sniffHeader('\n1,2')).toBeNull();
  });
});

describe('column guessing', () => {
  test('longitude/latitude-like names, exact names first', () => {
    expect(guessCoordinates(['case_no', 'lng', 'lat'])).toEqual({ x: 'lng', y: 'lat' });
    expect(guessCoordinates(['Longitude', 'Latitude', 'x'])).toEqual({ x: 'Longitude', y: 'Latitude' });
    expect(guessCoordinates(['POINT_X', 'POINT_Y'])).toEqual({ x: 'POINT_X', y: 'POINT_Y' });
    expect(guessCoordinates(['编号', '经度', '纬度'])).toEqual({ x: '经度', y: '纬度' });
    expect(guessCoordinates(['incident_longitude', 'incident_latitude'])).toEqual({ x: 'incident_longitude', y: 'incident_latitude' });
    expect(guessCoordinates(['gps lon', 'gps lat'])).toEqual({ x: 'gps lon', y: 'gps lat' });
  });

  test('no guess where nothing fits; words inside other words do not count', () => {
    expect(guessCoordinates(['case_no', 'type', 'place'])).toEqual({ x: null, y: null });
    expect(guessCoordinates(['salon', 'plateau'])).toEqual({ x: null, y: null });
  });

  test('the external id column by name', () => {
    expect(guessExternalId(['External ID', 'x'])).toBe('External ID');
    expect(guessExternalId(['id', 'x'])).toBeNull();
    expect(simplify('Point_X.1')).toBe('pointx1');
  });

  test('the identity mapping takes the layer fields present as columns', () => {
    const fields = identityFields('incidents', ['case_no', 'Category', 'severity', 'occurred at', 'lng', 'lat']);
    expect(fields).toEqual({ category: { column: 'Category' }, severity: { column: 'severity' }, occurred_at: { column: 'occurred at' } });
    expect(identityFields('zones', ['name', 'risk_level'])).toEqual({ name: { column: 'name' }, risk_level: { column: 'risk_level' } });
    expect(fieldsText({})).toBe('{}');
    expect(JSON.parse(fieldsText(fields))).toEqual(fields);
  });
});

describe('files', () => {
  test('formats from the names, shapefile parts grouped', () => {
    expect(formatOf('A.GeoJSON')).toBe('geojson');
    expect(formatOf('x.tsv')).toBe('csv');
    expect(formatOf('roads.zip')).toBe('shapefile');
    expect(formatOf('city.gpkg')).toBe('gpkg');
    expect(formatOf('notes.docx')).toBeNull();
    expect(describeFiles(['cams.shp', 'cams.dbf', 'cams.shx', 'cams.prj'])).toEqual({ main: ['cams.shp'], format: 'shapefile', mixed: false });
    expect(describeFiles(['a.csv', 'b.geojson']).mixed).toBe(true);
  });

  test('problems: no file, a .shp without its parts, unknown or mixed formats', () => {
    expect(fileProblems([]).map((p) => p.key)).toEqual(['imports.problem.noFile']);
    expect(fileProblems(['cams.shp', 'cams.prj'])).toEqual([
      { place: 'files', key: 'imports.problem.shapefileParts', params: { file: 'cams.shp', missing: '.shx, .dbf' } }]);
    expect(fileProblems(['cams.shp', 'CAMS.SHX', 'cams.dbf'])).toEqual([]);
    expect(fileProblems(['cams.dbf']).map((p) => p.key)).toEqual(['imports.problem.onlySidecars']);
    expect(fileProblems(['a.docx']).map((p) => p.key)).toEqual(['imports.problem.unknownFormat']);
    expect(fileProblems(['a.csv', 'b.gpkg']).map((p) => p.key)).toEqual(['imports.problem.mixedFormats']);
  });
});

describe('options', () => {
  test('a CSV dry run with the chosen columns, source, key, mode and fields', () => {
    const { options, problems } = buildOptions(form({
      crs: 'GCJ-02', source: ' rms ', externalId: 'case_no', mode: 'skip_bad_rows', fieldsText: '{"category": {"column": "type", "values": {"THEFT": "property_theft"}}}',
    }), true);
    expect(problems).toEqual([]);
    expect(options).toEqual({
      layer: 'incidents', mode: 'skip_bad_rows', dry_run: true, crs: 'GCJ-02', x: 'lng', y: 'lat', source: 'rms', external_id: 'case_no',
      fields: { category: { column: 'type', values: { THEFT: 'property_theft' } } },
    });
  });

  test('"from the file" sends no crs; another EPSG code is normalised; an empty mapping sends no fields', () => {
    expect(buildOptions(form({ fieldsText: '{}' }), false).options).toEqual({ layer: 'incidents', mode: 'atomic', dry_run: false, x: 'lng', y: 'lat' });
    expect(buildOptions(form({ crs: 'other', otherCrs: 'epsg 32650' }), false).options?.crs).toBe('EPSG:32650');
    expect(normaliseEpsg('4547')).toBe('EPSG:4547');
    expect(normaliseEpsg('EPSG:4547')).toBe('EPSG:4547');
    expect(normaliseEpsg('UTM 50N')).toBeNull();
  });

  test('non-CSV files send no columns; a tab delimiter is spelled "tab"; #hash keys', () => {
    const geo = buildOptions(form({ files: ['zones.geojson'], layer: 'zones', externalId: '#hash' }), false).options;
    expect(geo).toEqual({ layer: 'zones', mode: 'atomic', dry_run: false, external_id: '#hash' });
    expect(buildOptions(form({ delimiter: '\t' }), false).options?.delimiter).toBe('tab');
    expect(buildOptions(form({ x: '', y: '' }), false).options).not.toHaveProperty('x');
  });

  test('problems at their place keep the options from being sent', () => {
    const bad = buildOptions(form({ crs: 'other', otherCrs: 'UTM', x: 'lng', y: 'lng', fieldsText: '{"category": "type"', layer: '' }), false);
    expect(bad.options).toBeNull();
    expect(bad.problems.map((p) => [p.place, p.key])).toEqual([
      ['layer', 'imports.problem.noLayer'], ['crs', 'imports.problem.epsg'], ['y', 'imports.problem.sameColumn'], ['fields', 'imports.problem.fieldsJson']]);
    expect(buildOptions(form({ fieldsText: '[1]' }), false).problems[0]?.key).toBe('imports.problem.fieldsObject');
    expect(buildOptions(form({ fieldsText: '{"category": "type"}' }), false).problems[0]).toMatchObject({ key: 'imports.problem.fieldMap', params: { field: 'category' } });
  });
});

describe('server answers', () => {
  test('problems of a refused import or a 400 land at their form field', () => {
    expect(placeOf('/options/crs')).toBe('crs');
    expect(placeOf('/options/fields/category/column')).toBe('fields');
    expect(placeOf('/options/external_id')).toBe('externalId');
    expect(placeOf('/options/format')).toBe('files');
    expect(placeOf('/files')).toBe('files');
    expect(placeOf('/options')).toBe('form');
    expect(serverProblems({ '/options/layer': ['must be one of: incidents, cameras, zones.'], '/files': ['a', 'b'] })).toEqual([
      { place: 'layer', pointer: '/options/layer', text: 'must be one of: incidents, cameras, zones.' },
      { place: 'files', pointer: '/files', text: 'a' }, { place: 'files', pointer: '/files', text: 'b' }]);
    expect(serverProblems(null)).toEqual([]);
  });

  test('progress: the share read while reading, full when writing or finished', () => {
    expect(progressPercent({ state: 'running', phase: 'reading', progress: 0.456 })).toBe(46);
    expect(progressPercent({ state: 'queued', phase: 'queued', progress: 0 })).toBe(0);
    expect(progressPercent({ state: 'running', phase: 'writing', progress: 0.5 })).toBe(100);
    expect(progressPercent({ state: 'succeeded', phase: 'done', progress: 1 })).toBe(100);
  });

  test('the kind of result', () => {
    const r = (o: Partial<ImportSummary>): ImportSummary => ({
      outcome: 'succeeded', crs: 'EPSG:4326', dry_run: false, mode: 'atomic', rows_read: 2, accepted: 2, rejected: 0, created: 2, updated: 0,
      unchanged: 0, written: true, seconds: 0.1, reject_reasons: 0, rejects: [], ...o,
    });
    expect(resultKind(r({}))).toBe('written');
    expect(resultKind(r({ dry_run: true, written: false }))).toBe('dryRun');
    expect(resultKind(r({ outcome: 'rejected', written: false, rejected: 1 }))).toBe('rejected');
    expect(resultKind(r({ written: false, created: 0, unchanged: 2 }))).toBe('nothing');
  });
});
