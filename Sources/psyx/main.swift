import Psyx
print("psyx")
