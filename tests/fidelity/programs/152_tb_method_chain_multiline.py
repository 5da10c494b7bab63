# An error in a method chain written on several lines.
text = 'micro bit'
words = (text
         .upper()
         .split(' '))
print(words)
joined = (text
          .upper()
          .shout())
