"""A small hand-labelled development set of realistic posts for the analytics tests.

Written for these tests (fi/sv/en, varied style, inflections, slang, hashtags, mentions);
each post is (language, theme id from data/themes.json, text).
"""

POSTS: list[tuple[str, str, str]] = [
    # land_use
    (
        "fi",
        "land_use",
        "Kalasataman uusi asemakaava on ihan järjetön, 30-kerroksisia torneja rantaan? Muistutus lähtee huomenna kaupungille.",
    ),
    (
        "fi",
        "land_use",
        "Kaavamuutoksen asukastilaisuus Pasilassa tiistaina klo 18. Tulkaa kertomaan mielipiteenne täydennysrakentamisesta! #kaavoitus",
    ),
    (
        "sv",
        "land_use",
        "Detaljplanen för Vallgård skulle tillåta nya höghus mitt i kvarteret. Ingen har frågat oss som bor här.",
    ),
    (
        "sv",
        "land_use",
        "Stadsplaneringen i Helsingfors borde ta stadsbilden på allvar, rivningen av gamla byggnader i Berghäll är sorglig.",
    ),
    (
        "en",
        "land_use",
        "The new master plan wants infill construction everywhere in Lauttasaari. Who approved these tower blocks? #zoning",
    ),
    (
        "en",
        "land_use",
        "Went to the planning consultation about the Malmi airport area. Developers want way more building rights than the plan said.",
    ),
    # housing
    (
        "fi",
        "housing",
        "Vuokrat Helsingissä karkaa käsistä, kaksio Kalliossa 1400€/kk. Miten tässä kaupungissa pitäis asua pienellä palkalla?",
    ),
    (
        "fi",
        "housing",
        "Asuntopula on todellinen. Opiskelija-asuntojen jonot venyy vuoteen ja HOASin vuokrankorotukset tuli taas.",
    ),
    (
        "sv",
        "housing",
        "Hyran höjs igen med 8 %. Hyresvärden skyller på räntorna men vi hyresgäster har inte råd längre.",
    ),
    (
        "sv",
        "housing",
        "Bostadsbristen i huvudstadsregionen drabbar unga mest. Det behövs fler rimliga hyresbostäder, inte fler lyxlägenheter.",
    ),
    (
        "en",
        "housing",
        "Rent for a studio in Töölö is now over 1000 euros. Affordable housing in Helsinki is becoming a myth.",
    ),
    (
        "en",
        "housing",
        "Our landlord is evicting everyone for a pipe renovation and then doubling the rent. Tenants have no rights here.",
    ),
    # traffic
    (
        "fi",
        "traffic",
        "Mannerheimintiellä taas ruuhka koko matkan, autoilijat ajaa punaisia päin risteyksessä. Liikennevaloihin jotain järkeä!",
    ),
    (
        "fi",
        "traffic",
        "Miksi meidän kadulle pysäköidään rekkoja? Parkkipaikat on täynnä ja nopeusrajoitusta ei noudata kukaan.",
    ),
    (
        "sv",
        "traffic",
        "Trafiken på Tölögatan står still varje morgon. Bilisterna kör för fort och parkeringen är ett kaos.",
    ),
    (
        "sv",
        "traffic",
        "Vägarbetet vid korsningen i Sörnäs har pågått i ett år. Hastighetsbegränsningen ignoreras totalt av bilarna.",
    ),
    (
        "en",
        "traffic",
        "Traffic jam on Ring I again, 40 minutes from Leppävaara. Car commuting in this city is pure pain.",
    ),
    (
        "en",
        "traffic",
        "Drivers speeding through our residential street every night. We need speed bumps and a lower speed limit.",
    ),
    # public_transport
    (
        "fi",
        "public_transport",
        "Ratikkalinja 7 ei kulje taas, pysäkillä Hakaniemessä odotettu 20 min. @HSL mitä tapahtuu? #ratikka",
    ),
    (
        "fi",
        "public_transport",
        "Raide-Jokerin vuoroväli on liian pitkä iltaisin, ja bussit 550 korvataan vasta kun spåra kulkee kunnolla.",
    ),
    (
        "sv",
        "public_transport",
        "Spårvagnen till Arabiastranden är alltid försenad. Turtätheten på linje 6 måste bli bättre, HRT!",
    ),
    (
        "sv",
        "public_transport",
        "Bussen från Hertonäs kom inte alls idag och nästa tur var full. Kollektivtrafiken fungerar inte.",
    ),
    (
        "en",
        "public_transport",
        "Tram 4 stuck at the stop near Munkkiniemi for half an hour. HSL timetable means nothing today.",
    ),
    (
        "en",
        "public_transport",
        "The metro to Espoo broke down again, shuttle buses everywhere. Ticket prices keep going up too.",
    ),
    # cycling_walking
    (
        "fi",
        "cycling_walking",
        "Baanalla taas sähköpotkulautoja poikittain, pyöräilijät joutuu väistelemään. Pyöräteitä lisää! #pyöräily",
    ),
    (
        "fi",
        "cycling_walking",
        "Jalkakäytävä Vallilassa on niin kapea että lastenvaunuilla ei mahdu kävelemään. Jalankulkijat unohdetaan aina.",
    ),
    (
        "sv",
        "cycling_walking",
        "Cykelbanan längs Havsgatan slutar plötsligt mitt i korsningen. Farligt för alla cyklister.",
    ),
    (
        "sv",
        "cycling_walking",
        "Fler gågator i centrum tack! Det är så skönt att promenera när bilarna är borta.",
    ),
    (
        "en",
        "cycling_walking",
        "Cycling from Kallio to Ruoholahti is great on the Baana, but the bike lanes end abruptly near the center.",
    ),
    (
        "en",
        "cycling_walking",
        "City bikes are back! Also please fix the sidewalk in Punavuori, pedestrians have to walk on the road.",
    ),
    # green_areas
    (
        "fi",
        "green_areas",
        "Keskuspuistoon suunnitellaan taas hakkuita. Lähimetsät on meidän olohuone, puut pitää säilyttää!",
    ),
    (
        "fi",
        "green_areas",
        "Leikkipuisto Kalliossa on upea, lapset rakastaa. Mutta koirapuiston aita on rikki ja nurmikko mutaa.",
    ),
    (
        "sv",
        "green_areas",
        "Parken i Tölö är så vacker i höst. Men varför fälls träden vid stranden? Grönområdena blir färre.",
    ),
    (
        "sv",
        "green_areas",
        "Min favoritplats är skogen i Centralparken. Naturen mitt i staden måste skyddas.",
    ),
    (
        "en",
        "green_areas",
        "Sunday walk in Kaivopuisto park, the trees are gorgeous. Helsinki's green areas are its best feature.",
    ),
    (
        "en",
        "green_areas",
        "They're cutting down the forest near Vuosaari for a new road. Nature in the city matters more than cars.",
    ),
    # culture_events
    (
        "fi",
        "culture_events",
        "Flow-festivaalin liput myyty loppuun! Ja Taiteiden yö perjantaina, Kallion kirjastossa keikka.",
    ),
    (
        "fi",
        "culture_events",
        "Oodin näyttely oli mahtava ja museoiden ilmaispäivä täynnä väkeä. Kulttuuria kaikille!",
    ),
    (
        "sv",
        "culture_events",
        "Konserten på Svenska Teatern igår var fantastisk. Mer kultur på svenska i Helsingfors!",
    ),
    (
        "sv",
        "culture_events",
        "Festivalen i Kaisaniemiparken lockade tusentals. Biblioteket i Berghäll har också en ny utställning.",
    ),
    (
        "en",
        "culture_events",
        "The Helsinki Festival opening concert was amazing, and the Ateneum exhibition is a must see.",
    ),
    (
        "en",
        "culture_events",
        "Great gig at Tavastia last night. Helsinki's music scene and the new library events are thriving.",
    ),
    # education
    (
        "fi",
        "education",
        "Lapsen koulussa sisäilmaongelmat, luokat siirretään parakkeihin. Opettajat ja oppilaat sairastelee jatkuvasti.",
    ),
    (
        "fi",
        "education",
        "Päiväkotipaikkaa ei löydy läheltä, varhaiskasvatuksen henkilöstöpula on kriisi. Ryhmäkoot kasvaa.",
    ),
    (
        "sv",
        "education",
        "Skolan i Brunakärr har mögel igen. Eleverna och lärarna förtjänar bättre lokaler.",
    ),
    (
        "sv",
        "education",
        "Daghemmet har för lite personal och gruppstorlekarna växer. Småbarnspedagogiken på svenska är i kris.",
    ),
    (
        "en",
        "education",
        "My kid's school in Vuosaari has 30 pupils per class. Teachers are exhausted and the curriculum suffers.",
    ),
    (
        "en",
        "education",
        "University students in Helsinki need better study places. The daycare queue is also ridiculous.",
    ),
    # social_health
    (
        "fi",
        "social_health",
        "Terveysasemalle ei pääse, lääkärin aika vasta kuukauden päähän. Hoitojonot on kestämättömät.",
    ),
    (
        "fi",
        "social_health",
        "Ikäihmiset jätetään yksin palvelutaloissa, hoitajia liian vähän. Vanhustenhoito kuntoon!",
    ),
    (
        "sv",
        "social_health",
        "Jouren på sjukhuset hade åtta timmars väntetid. Vården i välfärdsområdet håller på att kollapsa.",
    ),
    (
        "sv",
        "social_health",
        "Ensamheten bland pensionärer är ett stort problem. Servicehuset behöver fler skötare.",
    ),
    (
        "en",
        "social_health",
        "Waited 6 hours at the emergency clinic. Healthcare queues in Helsinki are a disgrace.",
    ),
    (
        "en",
        "social_health",
        "Mental health services for young adults are so underfunded, and the food bank queue in Myllypuro grows every week.",
    ),
    # safety
    (
        "fi",
        "safety",
        "Itäkeskuksessa taas puukotus ja poliisi paikalla. Asukkaat pelkää liikkua illalla, turvattomuus kasvaa.",
    ),
    (
        "fi",
        "safety",
        "Rautatientorilla häiriöitä ja huumekauppaa joka ilta. Tarvitaan lisää valvontaa ja valaistusta.",
    ),
    (
        "sv",
        "safety",
        "Polisen fick rycka ut till Kampen igen efter ett slagsmål. Det känns otryggt att gå hem på kvällen.",
    ),
    (
        "sv",
        "safety",
        "Stölder och skadegörelse i vårt bostadsområde ökar. Gängen rör sig fritt och ingen gör något.",
    ),
    (
        "en",
        "safety",
        "Another stabbing near the railway station. Police presence is needed, people feel unsafe at night.",
    ),
    (
        "en",
        "safety",
        "Car break-ins and vandalism in Kontula every weekend. Better street lighting would help safety.",
    ),
    # environment
    (
        "fi",
        "environment",
        "Katupölyä ja pienhiukkasia Mäkelänkadulla ihan hirveesti, ilmanlaatu on surkea keväisin.",
    ),
    (
        "fi",
        "environment",
        "Hiilineutraali Helsinki 2030 on pelkkää puhetta jos päästöt kasvaa. Ilmastotekoja nyt!",
    ),
    (
        "sv",
        "environment",
        "Bullret från hamnen i Västra hamnen är outhärdligt. Miljön och luftkvaliteten försämras.",
    ),
    (
        "sv",
        "environment",
        "Östersjön mår dåligt och dagvattnet rinner rakt ut i havet. Klimatet kräver handling.",
    ),
    (
        "en",
        "environment",
        "Helsinki's carbon emissions are not falling fast enough. Climate targets need real action.",
    ),
    (
        "en",
        "environment",
        "The noise and dust from the harbour make the air quality terrible. Pollution is a health issue.",
    ),
    # sports_recreation
    (
        "fi",
        "sports_recreation",
        "Uimahallin remontti venyy taas, eikä Itäkeskuksen maauimala aukea kesällä. Missä uidaan?",
    ),
    (
        "fi",
        "sports_recreation",
        "Ulkokuntosali ja tekonurmikenttä Herttoniemeen, kiitos! Latuja voisi kyllä ajaa useammin. #liikunta",
    ),
    (
        "sv",
        "sports_recreation",
        "Ishallen i Nordsjö är fullbokad och juniorerna får inga istider. Idrotten behöver fler hallar.",
    ),
    (
        "sv",
        "sports_recreation",
        "Skidspåren i Centralparken är i toppskick! Motion i friska luften är det bästa.",
    ),
    (
        "en",
        "sports_recreation",
        "The swimming hall in Itäkeskus is closed for renovation, where are kids supposed to swim?",
    ),
    (
        "en",
        "sports_recreation",
        "New outdoor gym and padel courts in Kalasatama. Sports facilities are finally improving.",
    ),
    # youth
    (
        "fi",
        "youth",
        "Nuorisotalo Kontulassa suljetaan kesäksi, nuoret jää kaduille. Nuorisotyöntekijöitä tarvitaan!",
    ),
    (
        "fi",
        "youth",
        "Kesäsetelit loppui taas hetkessä. Lapsiperheet ja teinit tarvitsee harrastuksia ilmaiseksi.",
    ),
    (
        "sv",
        "youth",
        "Ungdomsgården i Östra centrum stängs och ungdomarna har ingenstans att ta vägen på kvällarna.",
    ),
    (
        "sv",
        "youth",
        "Barnfamiljer behöver fler gratis fritidsaktiviteter. Hobbyer för barn och unga ska inte kosta.",
    ),
    (
        "en",
        "youth",
        "Teenagers in Mellunmäki have nowhere to hang out since the youth centre closed. Youth workers are needed.",
    ),
    (
        "en",
        "youth",
        "Free hobbies for every child is a great idea, families in the east need it most.",
    ),
    # maintenance
    (
        "fi",
        "maintenance",
        "Lumitöitä ei ole tehty, jalkakäytävät on pelkkää polannetta. Aurausta odotettu kolme päivää!",
    ),
    (
        "fi",
        "maintenance",
        "Roskikset täynnä Sörnäisissä, roskat lentää tuulessa. Katuvalo rikki jo viikon, korjatkaa!",
    ),
    (
        "sv",
        "maintenance",
        "Snöröjningen i Åggelby fungerar inte, halkan är livsfarlig och ingen sandning.",
    ),
    (
        "sv",
        "maintenance",
        "Papperskorgarna i parken svämmar över och skräpet ligger överallt. Vem städar?",
    ),
    (
        "en",
        "maintenance",
        "Potholes everywhere on Hämeentie after the winter. When will the city repair the street?",
    ),
    (
        "en",
        "maintenance",
        "No snow plowing on our street for days and the sidewalks are pure ice. Slippery and dangerous.",
    ),
]

#: Harder posts, written after the taxonomy without looking at its term lists: indirect
#: wording, slang, typos, mixed topics, place-heavy posts.
HARD: list[tuple[str, str, str]] = [
    (
        "fi",
        "public_transport",
        "No nii, taas seisotaan Sörkan pysäkillä ja seiska ei tuu. Kiitti HSL 🙄",
    ),
    (
        "fi",
        "public_transport",
        "Spåralla duuniin ku metro on remontissa, ei mitään järkeä tässä säädössä",
    ),
    ("sv", "public_transport", "Sexan har stått still vid Tavastvägen i tjugo minuter. Typiskt."),
    (
        "en",
        "public_transport",
        "Why does the 9 always skip Pasila in the evenings? Waited forever.",
    ),
    (
        "fi",
        "cycling_walking",
        "Fillarilla töihin Lauttasaaresta, baanaa pitkin 15 min. Paras päätös ikinä",
    ),
    ("sv", "cycling_walking", "Cyklade genom Tölö idag, cykelvägarna är fulla av gropar och glas."),
    (
        "en",
        "cycling_walking",
        "Biked to work through Kallio, drivers keep parking on the bike path. Infuriating.",
    ),
    (
        "fi",
        "green_areas",
        "Vanhankaupunginlahden lintutorni aamulla, joutsenia ja hiljaisuutta. Tätä ei saa rakentaa täyteen.",
    ),
    ("sv", "green_areas", "Hundparken i Brunnsparken är en oas, men gräset är helt förstört."),
    ("en", "green_areas", "Picnic at Kaivopuisto, the lawns and old trees are lovely today."),
    (
        "fi",
        "maintenance",
        "Ihan järkyttävä liukas keli, hiekotus puuttuu koko Kalliosta. Kaaduin kahdesti.",
    ),
    ("sv", "maintenance", "Ingen har plogat på vår gata på tre dagar. Bilarna sitter fast i snön."),
    (
        "en",
        "maintenance",
        "The bins at the Hakaniemi market overflow every weekend, seagulls spread the trash everywhere.",
    ),
    (
        "fi",
        "housing",
        "Vuokranantaja nosti taas vuokraa, 60 € lisää kuussa. Muutto edessä varmaan.",
    ),
    ("sv", "housing", "Letar etta i Helsingfors, 900 euro i månaden för 25 kvadrat är vansinne."),
    (
        "en",
        "housing",
        "Looking for a flat in Helsinki is a nightmare, 200 people at every viewing.",
    ),
    (
        "fi",
        "safety",
        "Kontulan ostarilla taas tappelu ja poliisit paikalla. Lapsia ei uskalla päästää illalla ulos.",
    ),
    (
        "sv",
        "safety",
        "Någon bröt sig in i vårt förråd igen. Polisen säger att de inte har resurser.",
    ),
    (
        "en",
        "safety",
        "Police helicopter over Itäkeskus again, something bad happened near the mall.",
    ),
    (
        "fi",
        "culture_events",
        "Huvila-teltan keikka oli aivan huikea, Helsingin juhlaviikot parhaimmillaan!",
    ),
    (
        "sv",
        "culture_events",
        "Svenska Teaterns nya pjäs är en succé, biljetterna slutsålda hela hösten.",
    ),
    ("en", "culture_events", "Night of the Arts was packed, street concerts everywhere in Kallio."),
    ("fi", "social_health", "Soitin terveyskeskukseen klo 8 ja jonotin tunnin. Aikaa ei saanut."),
    (
        "sv",
        "social_health",
        "Mamma väntar fortfarande på en plats på vårdhem, hon klarar sig inte hemma.",
    ),
    ("en", "social_health", "Tried to book a doctor appointment, first free slot in five weeks."),
    (
        "fi",
        "education",
        "Eskarit ja ekaluokkalaiset siirretään väistötiloihin koko syksyksi. Vanhemmat raivoissaan.",
    ),
    (
        "sv",
        "education",
        "Min dotter fick inte plats på det svenska dagiset nära oss, vi måste åka till andra sidan stan.",
    ),
    (
        "en",
        "education",
        "Finnish schools used to be the best. Now teachers quit and classes are huge.",
    ),
    ("fi", "traffic", "Hämeentien autokielto on aiheuttanut ruuhkia sivukaduille, kuka tän keksi?"),
    ("sv", "traffic", "Långa köer på Västerleden varje morgon, bilarna står stilla."),
    (
        "en",
        "traffic",
        "Someone parked across two spots again on our street. Parking enforcement where?",
    ),
]
