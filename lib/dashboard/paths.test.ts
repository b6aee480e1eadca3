import { describe, expect, it } from 'vitest';
import { splitPath } from './paths';

describe('splitPath', () => {
  it('keeps the file name of a Windows path as the tail', () => {
    expect(splitPath('C:\\Users\\jdoe\\AppData\\Local\\Temp\\payload.exe')).toEqual({ head: 'C:\\Users\\jdoe\\AppData\\Local\\Temp\\', tail: 'payload.exe' });
  });
  it('keeps the file name of a POSIX path as the tail', () => {
    expect(splitPath('/var/tmp/.x/run.sh')).toEqual({ head: '/var/tmp/.x/', tail: 'run.sh' });
  });
  it('a mixed path is cut at its last separator of either kind', () => {
    expect(splitPath('C:\\a/b\\c.dll')).toEqual({ head: 'C:\\a/b\\', tail: 'c.dll' });
  });
  it('a trailing separator keeps the last folder as the tail', () => {
    expect(splitPath('C:\\Windows\\Temp\\')).toEqual({ head: 'C:\\Windows\\', tail: 'Temp\\' });
  });
  it('a bare name, a root or an empty string is all tail', () => {
    expect(splitPath('payload.exe')).toEqual({ head: '', tail: 'payload.exe' });
    expect(splitPath('/')).toEqual({ head: '', tail: '/' });
    expect(splitPath('/etc')).toEqual({ head: '', tail: '/etc' });
    expect(splitPath('')).toEqual({ head: '', tail: '' });
  });
  it('head + tail is the path again', () => {
    for (const p of ['a\\b\\c', '\\\\server\\share\\f.txt', 'x//y//', 'no-sep']) {
      const { head, tail } = splitPath(p);
      expect(head + tail).toBe(p);
    }
  });
});
