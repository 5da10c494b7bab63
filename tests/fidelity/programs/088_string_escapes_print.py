# Printing strings with escapes and special characters.
print('tab\tseparated', 'quote\'s', "double\"s")
print('back\\slash', 'line1\nline2')
print('unicode: caf\xe9 \u2764 \u20ac')
print(r'raw \n string', len('\n'), len(r'\n'))
print('a' 'b' 'c', 'multi'
      'line')
print("""triple
quoted""")
print('%s|%5s|%-5s|' % ('\u00e9', '\u00e9', '\u00e9'))
print('\x41\x42', '\101', chr(0x263A))
