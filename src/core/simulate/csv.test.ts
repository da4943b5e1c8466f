import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_EOL, OEP_HEADER_LINE, csvField, oepCsvLines } from './csv.ts';
import { simulateElection } from './simulate.ts';
import { PARTIES } from './simulate.types.ts';

describe('OEP_HEADER_LINE', () => {
  it('is the exact OEP Cómputo header, BOM first and CRLF last', () => {
    expect(OEP_HEADER_LINE).toBe(
      '\uFEFFNúmero Mesa,País,Departamento,Provincia,Municipio,Localidad,Distrito,Zona,Recinto,lat,lon,' +
        'Inscritos,PUEBLO,CIUDAD,VERDE,UNIDAD,LIBRE,SUR,Blancos,Nulos\r\n',
    );
  });

  it('encodes the BOM as EF BB BF in UTF-8', () => {
    expect([...new TextEncoder().encode(OEP_HEADER_LINE).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });
});

describe('csvField', () => {
  it('leaves plain text alone', () => {
    expect(csvField('Unidad Educativa José Rivas')).toBe('Unidad Educativa José Rivas');
  });

  it('quotes a field with a comma', () => {
    expect(csvField('Escuela Ana Paredes, Turno Tarde')).toBe('"Escuela Ana Paredes, Turno Tarde"');
  });

  it('quotes a field with quotes and doubles them', () => {
    expect(csvField('Colegio "Juan Rivas"')).toBe('"Colegio ""Juan Rivas"""');
  });

  it('quotes a field with a line break', () => {
    expect(csvField('a\nb')).toBe('"a\nb"');
  });
});

describe('oepCsvLines', () => {
  const election = simulateElection({ mesas: 2000, seed: 'csv' });
  const lines = [...oepCsvLines(election.rows())];
  const text = lines.join('');

  it('yields the header, then one CRLF-terminated line per mesa', () => {
    expect(lines[0]).toBe(OEP_HEADER_LINE);
    expect(lines).toHaveLength(2001);
    expect(lines.every((line) => line.endsWith(CSV_EOL))).toBe(true);
  });

  it('parses back, with an RFC 4180 reader, to the rows it was written from', () => {
    const records = parse<Record<string, string>>(text, { bom: true, columns: true });
    const rows = [...election.rows()];
    expect(records).toHaveLength(rows.length);
    // Some recinto names carry commas and quotes: they must survive the round trip.
    expect(rows.some((r) => /[",]/.test(r.recinto.name))).toBe(true);
    records.forEach((record, k) => {
      const row = rows[k]!;
      expect(record['Número Mesa']).toBe(String(row.mesa));
      expect(record['País']).toBe('República de Ejemplo');
      expect(record['Departamento']).toBe(row.recinto.department);
      expect(record['Recinto']).toBe(row.recinto.name);
      expect(Number(record['lat'])).toBe(row.recinto.lat);
      expect(Number(record['lon'])).toBe(row.recinto.lon);
      expect(Number(record['Inscritos'])).toBe(row.registered);
      for (const party of PARTIES) expect(Number(record[party])).toBe(row.votes[party]);
      expect(Number(record['Blancos'])).toBe(row.blank);
      expect(Number(record['Nulos'])).toBe(row.void);
    });
  });
});
