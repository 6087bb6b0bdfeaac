"""Name pools of a mixed school district: mostly Latin script with accents, apostrophes and
hyphens, plus a small share of people whose names are stored in another script.

Latin entries are listed roughly from common to rare (picks are Zipf-weighted by position);
"_" stands for a space inside one name. Other scripts carry a romanised form ("name:roman"),
which e-mail addresses and login names are built from.
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return [word.replace("_", " ") for word in text.split()]


def _pairs(text: str) -> list[tuple[str, str]]:
    return [tuple(pair.split(":")) for pair in text.split()]


LATIN_FEMALE = _words(
    """
Emma Olivia Ava Sophia Isabella Mia Charlotte Amelia Harper Evelyn Abigail Emily Elizabeth
Sofía Ella Madison Scarlett Victoria Aria Grace Chloé Camila Penelope Riley Layla Lillian
Nora Zoë Mila Aubrey Hannah Lily Addison Eleanor Natalie Luna Savannah Brooklyn Leah Zoey
Stella Hazel Ellie Paisley Audrey Skylar Violet Claire Bella Aurora Lucy Anna Samantha
Caroline Genesis Aaliyah Kennedy Kinsley Allison Maya Sarah Madelyn Adeline Alexa Ariana
Elena Gabriella Naomi Alice Sadie Hailey Eva Emilia Autumn Quinn Nevaeh Piper Ruby
Serenity Willow María Lucía Valentina Ximena Renée Anaïs Mary-Kate Anne-Marie Siobhán
Aoife Zoé Inès Noémie Maëlle Chiamaka Ngozi Priya Aisha Fatima Mei Yuki Hana Małgorzata
Zsófia Þóra Dagný
"""
)
LATIN_MALE = _words(
    """
Liam Noah Oliver Elijah William James Benjamin Lucas Henry Alexander Mason Michael Ethan
Daniel Jacob Logan Jackson Levi Sebastian Mateo Jack Owen Theodore Aiden Samuel Joseph
John David Wyatt Matthew Luke Asher Carter Julian Grayson Leo Jayden Gabriel Isaac Lincoln
Anthony Hudson Dylan Ezra Thomas Charles Christopher Jaxon Maverick Josiah Isaiah Andrew
Elias Joshua Nathan Caleb Ryan Adrian Miles Eli Nolan Christian Aaron Cameron Ezekiel
Colton Luca Landon Hunter Jonathan Santiago Axel Easton Cooper Jeremiah Angel Roman Connor
José Jesús Andrés Ramón Joaquín Sebastián André François Jérôme Søren Björn Jean-Luc
Jean-Paul Seán Ciarán Oisín Kwame Chinedu Arjun Mohammed Omar Hiroshi Wei Minh Dário
Zoltán Łukasz Jiří D'Andre
"""
)
LATIN_LAST = _words(
    """
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White
Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres
Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts
Gómez Phillips Evans Turner Díaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales
Murphy Cook Rogers Gutiérrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos
Kim Cox Ward Richardson Watson Brooks Chávez Wood James Bennett Gray Méndez Ruiz Hughes
Price Álvarez Castillo Sanders Patel Myers Long Ross Foster Jiménez O'Brien O'Connor
O'Neil D'Angelo D'Souza McDonald MacLeod Smith-Jones García-López Taylor-Brown Müller
Schröder Weiß Núñez Peña Ibáñez Muñoz Çelik Yılmaz Østergaard Ångström Dvořák Novák
Kowalski Wiśniewski Nowak Lévesque Bélanger Côté Gagné Pérez Lefèvre Nguyễn Trần Lê Phạm
N'Diaye Okafor Adeyemi Mensah Haddad Sørensen van_der_Berg de_la_Cruz Van_Dyke St._John
Mac_an_tSaoir
"""
)

# (script name, share of people, first names, last names)
OTHER_SCRIPTS = (
    (
        "han",
        0.004,
        _pairs(
            "伟:wei 芳:fang 秀英:xiuying 明轩:mingxuan 子涵:zihan 浩然:haoran 欣怡:xinyi 静:jing"
        ),
        _pairs("李:li 王:wang 张:zhang 刘:liu 陈:chen 杨:yang"),
    ),
    (
        "cyrillic",
        0.004,
        _pairs("Дмитрий:dmitry Ольга:olga Анна:anna Сергей:sergey Наталья:natalya Алексей:alexey"),
        _pairs(
            "Иванов:ivanov Смирнова:smirnova Кузнецов:kuznetsov Попова:popova Шевченко:shevchenko"
        ),
    ),
    (
        "greek",
        0.002,
        _pairs(
            "Γιώργος:giorgos Ελένη:eleni Δημήτρης:dimitris Μαρία:maria Νίκος:nikos "
            "Αικατερίνη:aikaterini"
        ),
        _pairs("Παπαδόπουλος:papadopoulos Γεωργίου:georgiou Οικονόμου:oikonomou Νικολάου:nikolaou"),
    ),
    (
        "arabic",
        0.003,
        _pairs("محمد:mohammed فاطمة:fatima أحمد:ahmed مريم:maryam يوسف:yousef ليلى:layla"),
        _pairs("حداد:haddad الحسن:alhassan منصور:mansour خليل:khalil العربي:alarabi"),
    ),
    (
        "hangul",
        0.002,
        _pairs("민준:minjun 서연:seoyeon 지호:jiho 하은:haeun"),
        _pairs("김:kim 이:lee 박:park 최:choi"),
    ),
)

EMPLOYERS = (
    "County Hospital",
    "City of Riverside",
    "Self-employed",
    "Walmart",
    "Amazon",
    "School District",
    "State University",
    "Lowe's",
    "Café Rouge",
    "Smith & Sons",
)
STAFF_TITLES = (
    ("Teacher", 0.74),
    ("Counselor", 0.05),
    ("Principal", 0.02),
    ("Assistant Principal", 0.03),
    ("Secretary", 0.06),
    ("Librarian", 0.02),
    ("Nurse", 0.02),
    ("Aide", 0.06),
)
SCHOOL_NAMES = (
    "Riverside High School",
    "Lincoln Elementary School",
    "Oak Grove Middle School",
    "Washington Academy",
    "Cedar Ridge School",
    "Maple Valley High School",
    "Sunnydale Elementary School",
    "Hillcrest Middle School",
)
