/// Drawings and renders in Debian's `tuxpaint-stamps-default` (2022.06.04) that pass the catalog's
/// pixel rules, and Scratch's drawn JPEG backgrounds: each was looked at (docs/PHOTO-DATA.md). Paths
/// are relative to the stamp (background) folder; an entry ending in `/` covers a whole folder.
enum KnownDrawings {
    static let paths: [String] = [
        // Glyphs, signs, flags, coins drawn or rendered, planet composites.
        "symbols/alphabets/", "symbols/chess/", "symbols/faces/", "symbols/math/", "symbols/music/",
        "symbols/shapes/", "symbols/money/00_symbols/", "symbols/money/euro/", "symbols/clockface.png",
        "symbols/recycle.png", "town/roadsigns/", "town/flags/", "space/planets/", "space/voyager2.png",
        // Painted or rendered animals.
        "animals/fish/bluegroper.png", "animals/fish/butterflyfish.png", "animals/fish/clownfish.png",
        "animals/fish/dolphinfish.png", "animals/fish/moonwrasse.png", "animals/fish/stripedfish.png",
        "animals/insects/fly.png", "animals/mammals/aquatic/whale.png", "animals/mammals/hedgehog.png",
        // Drawn objects.
        "clothes/hats/", "clothes/button.png", "food/pizza.png", "hobbies/music/percussion/cymbal_crash.png",
        "medical/tooth.png", "people/body_parts/eye.png", "town/monuments/inukshuk-outline.png",
        "vehicles/7spoke256.png", "seasonal/hanukkah/", "seasonal/newyears/party-hat.png",
        "seasonal/christmas/Santa.png", "seasonal/christmas/santahat.png",
        "seasonal/christmas/candy_cane.png",
        "seasonal/christmas/tree.png", "seasonal/christmas/stocking.png", "seasonal/christmas/bow.png",
        "seasonal/christmas/lamp.png", "seasonal/christmas/star.png",
        "seasonal/easter/bunny-head.png", "seasonal/easter/bunny.png", "seasonal/easter/bunny-egg.png",
        "seasonal/easter/chick.png", "seasonal/easter/chick-hatched.png", "seasonal/easter/chick-in-egg.png",
        "seasonal/easter/bluebird.png", "seasonal/easter/butterfly.png", "seasonal/easter/daffodil.png",
        "seasonal/easter/wrapped_chocolate_easter_egg.png",
        "seasonal/easter/wrapped_chocolate_easter_egg_2.png",
        "seasonal/halloween/jackolantern_mean.png", "seasonal/halloween/skull.png",
        "seasonal/halloween/spider.png", "seasonal/halloween/bat_left.png", "seasonal/halloween/blackcat.png",
        "seasonal/halloween/ghost.png",
        // A police car whose body is transparent in the file.
        "vehicles/emergency/sedan_police.png",
    ]

    /// Drawn JPEG backgrounds in Debian's `scratch` (Media/Backgrounds), relative to that folder.
    static let backgrounds: [String] = [
        "Indoors/chalkboard.jpg", "Indoors/party-room.jpg", "Indoors/room1.jpg", "Indoors/room2.jpg",
        "Indoors/room3.jpg", "Indoors/spotlight-stage.jpg", "Nature/woods-and-bench.jpg",
        "Outdoors/brick-wall1.jpg", "Outdoors/school2.jpg",
    ]

    /// The entry that covers `path`, if any.
    static func match(_ path: String) -> String? {
        paths.first { $0.hasSuffix("/") ? path.hasPrefix($0) : path == $0 }
    }
}
